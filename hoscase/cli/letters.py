"""`hoscase letter REF KIND -o FILE.pdf [--large-print]`: the Code's stage letters as PDF."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from hoscase.errors import HoscaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    from hoscase.letters.content import KINDS

    p = subparsers.add_parser(
        "letter", help="produce a stage letter as PDF and keep it with the case",
        description="Produce one of the Code's letters for a case. The PDF is also kept in the data folder under "
                    "letters/REF/ and added to the case's correspondence.",
    )
    p.add_argument("ref", metavar="REF", help="the case reference")
    p.add_argument("kind", metavar="KIND", choices=list(KINDS), help="one of: " + ", ".join(KINDS))
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="also write the PDF here")
    p.add_argument("--large-print", action="store_true", help="16 pt and over (also on when the case asks for it)")
    p.add_argument("--on", metavar="DATE", help="the letter's date (default: today)")
    p.add_argument("--stage", type=int, choices=(1, 2), help="for an extension letter: the stage (default: latest)")
    p.add_argument("--update-interval", metavar="TEXT",
                   help="for an extension letter: record the interval for updates agreed with the resident (Code 5.9)")
    p.add_argument("--templates", metavar="DIR", help="a folder of your own letter templates (default: the user "
                                                     "data folder's letters/)")
    p.set_defaults(run=_letter)


def _letter(args, context) -> int:
    from hoscase.letters import LetterService
    from hoscase.workdays import parse_date

    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():
        raise HoscaseError(f"{output} is a folder; give the PDF's file name")
    service = context.service()
    letters = LetterService(service, data_folder=context.path.parent, templates_folder=args.templates)
    if args.update_interval is not None and args.kind != "extension":
        raise HoscaseError("--update-interval goes with an extension letter")
    on = parse_date(args.on, "--on") if args.on else None
    with service.store.transaction():  # the interval is kept only if the letter it is for is produced
        if args.update_interval is not None:
            letters.record_update_interval(args.ref, args.update_interval, stage=args.stage)
        letter = letters.produce(args.ref, args.kind, large_print=args.large_print, on=on, stage=args.stage)
    if output is not None:
        try:
            _write_atomic(output, letter.pdf)
        except HoscaseError as exc:
            raise HoscaseError(f"{exc}; the letter is kept with the case as {letter.path}") from None
        print(f"{letter.reference}: {args.kind} letter written to {output} (kept as {letter.path})")
    else:
        print(f"{letter.reference}: {args.kind} letter kept as {letter.path}")
    return 0


def _write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a half-written PDF must not be mistaken for the letter."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=".letter-", suffix=".pdf", dir=folder)
    except OSError as exc:
        raise HoscaseError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise HoscaseError(f"cannot write {path}: {exc.strerror or exc}") from None
