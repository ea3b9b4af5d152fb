"""The command line: a thin face over the core, and the way into the desktop app.

Each command group lives in its own module with ``register(subparsers)``; its
handlers take the parsed arguments and a ``Context`` and return an exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
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
    "hoscase.cli.closure",
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
        self.created = False  # this command made the database file (a first run)

    @property
    def path(self) -> Path:
        from hoscase.store import default_db_path

        return self.db_path or default_db_path()

    @property
    def store(self):
        if self._store is None:
            from hoscase.safety.startup import open_store

            # Warns on stderr about a network or cloud-synced location; takes the day's first backup.
            self.created = not self.path.exists()
            self._store = open_store(self.path, warn=lambda text: print(f"hoscase: warning: {text}", file=sys.stderr))
        return self._store

    def service(self):
        from hoscase.cases import CaseService

        return CaseService(self.store)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def discard_if_new(self) -> None:
        """Remove the database this command created if it is still empty: a refused or dry-run command writes nothing."""
        if not self.created or self._store is None or self._store.count_cases():
            return
        self._store.close()
        self._store, self.created = None, False
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hoscase", description="Complaint handling to the Housing Ombudsman's Complaint Handling Code.")
    parser.add_argument("--version", action="version", version=f"hoscase {__version__}")
    parser.add_argument("--db", metavar="FILE", help="the database file (default: HOSCASE_DB or the user data folder)")
    subparsers = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _gui_db(argv: Sequence[str]) -> tuple[bool, str | None]:
    """(True, db) when ``argv`` opens the desktop app: nothing but an optional ``--db FILE``.

    Opening the app is the common case, and building every command's parser imports the
    letters, reports and import code (about 200 ms of a launch); the officer should not wait for it.
    Anything else, including a mistake, goes through the full parser and its messages.
    """
    args = list(argv)
    if not args:
        return True, None
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > 5:
        return True, args[0][5:]
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return True, args[1]
    return False, None


def _start_check_early(db: str | None) -> None:
    """Start the database's check on opening before the app imports PySide6; the Store takes it over.

    It only reads (a read-only connection), and nothing is written until it has passed, as before.
    """
    try:
        from hoscase.store.database import default_db_path, start_check_early

        start_check_early(Path(db) if db else default_db_path())
    except Exception:  # noqa: BLE001 - the app then runs the check itself, as it always did
        pass


def whole_number(what: str):
    """An argparse type: a whole number, or a one-line usage error naming the option."""

    def convert(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text!r}") from None

    return convert


def main(argv: Sequence[str] | None = None) -> int:
    gui, db = _gui_db(sys.argv[1:] if argv is None else argv)
    if gui:
        _start_check_early(db)
        from hoscase.gui.app import run_app  # imports PySide6: about 100 ms the check runs beside

        return run_app(db)
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
        code = int(args.run(args, context) or 0)
        if context.created and args.command != "init":  # a first run: say where the new database is
            print(f"hoscase: created a new database at {context.path}", file=sys.stderr)
        return code
    except HoscaseError as exc:
        context.discard_if_new()
        print(f"hoscase: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hoscase: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `hoscase case list | head`: the reader stopped listening; that is not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - never a traceback in front of a user
        print(f"hoscase: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        context.close()


if __name__ == "__main__":
    sys.exit(main())
