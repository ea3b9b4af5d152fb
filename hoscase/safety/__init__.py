"""Data safety: the app lock, checks on opening, backups and restore, storage warnings, retention and SAR.

Import from the submodules (``hoscase.safety.backup``, ``.lock``, ``.location``, ``.retention``,
``.sar``, ``.startup``); this package imports nothing itself so the store can use it without a cycle.
"""
