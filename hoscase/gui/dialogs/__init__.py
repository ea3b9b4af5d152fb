"""Small dialogs, one a module, each opened by a classmethod returning (value, accepted)."""
