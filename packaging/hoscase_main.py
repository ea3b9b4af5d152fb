"""The frozen app's entry point: the same ``hoscase`` command a pip install gives (no arguments opens the app)."""

import sys

from hoscase.cli import main

if __name__ == "__main__":
    sys.exit(main())
