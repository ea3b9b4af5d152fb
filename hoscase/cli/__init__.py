"""The command line: a thin face over the core, and the way into the desktop app.

Each command group lives in its own module with ``register(subparsers)``; its
handlers take the parsed arguments and a ``Context`` and return an exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from hoscase import __version__
from hoscase.errors import HoscaseError

# Command groups, in the order they appear in --help.
COMMAND_MODULES = [
    "hoscase.cli.cases",
    "hoscase.cli.setup",
    "hoscase.cli.letters",
    "hoscase.cli.service_requests",
    "hoscase.cli.reports",
    "hoscase.cli.transfer",
    "hoscase.cli.selfassessment",
    "hoscase.cli.safety",
    "hoscase.cli.gui",
]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


class Context:
    """What a command needs: the database path, opened on first use."""

    def __init__(self, db: str | None) -> None:
        self.db_path = Path(db) if db else None
        self._store = None

    @property
    def path(self) -> Path:
        from hoscase.store import default_db_path

        return self.db_path or default_db_path()

    @property
    def store(self):
        if self._store is None:
            from hoscase.safety.startup import open_store

            # Warns on stderr about a network or cloud-synced location; takes the day's first backup.
            self._store = open_store(self.path, warn=lambda text: print(f"hoscase: warning: {text}", file=sys.stderr))
        return self._store

    def service(self):
        from hoscase.cases import CaseService

        return CaseService(self.store)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hoscase", description="Complaint handling to the Housing Ombudsman's Complaint Handling Code.")
    parser.add_argument("--version", action="version", version=f"hoscase {__version__}")
    parser.add_argument("--db", metavar="FILE", help="the database file (default: HOSCASE_DB or the user data folder)")
    subparsers = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage mistake already reported in one line
        return int(exc.code or 0)
    if args.command is None:
        from hoscase.gui.app import run_app

        return run_app(args.db)
    context = Context(args.db)
    try:
        return int(args.run(args, context) or 0)
    except HoscaseError as exc:
        print(f"hoscase: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hoscase: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback in front of a user
        print(f"hoscase: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        context.close()


if __name__ == "__main__":
    sys.exit(main())
