"""The one exception the core raises for anything a user did wrong."""


class HoscaseError(Exception):
    """Bad input or a refused action; its message is shown to the user as it is."""
