"""Producing a letter and keeping it with the case, so the full record holds what was sent (Code 5.12)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from hoscase.cases import Case, CaseService
from hoscase.errors import HoscaseError
from hoscase.letters.content import LetterContent, letter_content
from hoscase.letters.render import render_letter
from hoscase.letters.templates import TemplateLibrary

LETTERS_FOLDER = "letters"


@dataclass
class Letter:
    """A produced letter: its PDF, where the case keeps it, and the case as it now stands."""

    kind: str
    reference: str
    pdf: bytes
    path: Path  # the copy kept with the case, under the data folder
    relative_path: str  # as recorded in the correspondence row, relative to the data folder
    case: Case


def safe_name(text: str) -> str:
    """A reference as a folder name on any system (a landlord may use its own reference scheme)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return cleaned or "case"


def resolve_letter_path(data_folder: Path | str, recorded: str) -> Path:
    """Where a correspondence row's letter lives: recorded paths are relative to the data folder
    so the folder can be moved or restored from a backup elsewhere."""
    path = Path(recorded)
    return path if path.is_absolute() else Path(data_folder) / path


class LetterService:
    """Renders the Code's letters for a case and files them with it."""

    def __init__(self, service: CaseService, data_folder: Path | str | None = None,
                 templates_folder: Path | str | None = None) -> None:
        self.service = service
        self.data_folder = (Path(data_folder) if data_folder is not None else service.store.path.parent).absolute()
        self.library = TemplateLibrary(templates_folder)

    def content(self, reference: str, kind: str, *, large_print: bool = False, on: dt.date | None = None,
                stage: int | None = None) -> LetterContent:
        return letter_content(self.service, reference, kind, on=on, large_print=large_print, stage=stage)

    def preview(self, reference: str, kind: str, *, large_print: bool = False, on: dt.date | None = None,
                stage: int | None = None) -> tuple[LetterContent, bytes]:
        """The checked content and the letter's PDF, not yet kept: what the officer looks at before sending."""
        content = self.content(reference, kind, large_print=large_print, on=on, stage=stage)
        return content, render_letter(content, self.library)

    def produce(self, reference: str, kind: str, *, large_print: bool = False, on: dt.date | None = None,
                stage: int | None = None) -> Letter:
        """Render the letter, keep a copy under letters/<reference>/ and add it to the case's correspondence."""
        return self.keep(*self.preview(reference, kind, large_print=large_print, on=on, stage=stage))

    def keep(self, content: LetterContent, pdf: bytes) -> Letter:
        """File a rendered letter with its case: the PDF in the data folder and a correspondence row."""
        case = content.case
        folder = self.data_folder / LETTERS_FOLDER / safe_name(case.reference)
        stem = f"{content.letter_date.isoformat()}-{content.kind.name}{'-large-print' if content.large_print else ''}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = _write_new(folder, stem, pdf)
        except OSError as exc:
            raise HoscaseError(f"cannot save the letter in {folder}: {exc.strerror or exc}") from None
        relative = path.relative_to(self.data_folder).as_posix()
        summary = f"{content.kind.title} letter sent{' (large print)' if content.large_print else ''}"
        try:
            case = self.service.add_correspondence(case.reference, content.letter_date, summary, direction="out",
                                                   kind="letter", path=relative)
        except BaseException:
            path.unlink(missing_ok=True)  # nothing half-done: no file without its record
            raise
        return Letter(content.kind.name, case.reference, pdf, path, relative, case)

    def record_update_interval(self, reference: str, interval: str, stage: int | None = None) -> Case:
        """Record the interval for updates agreed with the resident when a response will be late (Code 5.9).

        Without ``stage``, the stage the extension letter is about (the latest one with an extension), so
        ``letter REF extension --update-interval …`` records it where the letter looks for it."""
        if stage is None:
            case = self.service.get(reference)
            stage = max((s for s in case.stages if case.stages[s].extensions), default=None)
        return self.service.set_update_interval(reference, interval, stage)


def _write_new(folder: Path, stem: str, pdf: bytes) -> Path:
    """Write the PDF under a name not yet used (a second letter the same day gets -2, -3…), never overwriting."""
    for n in range(1, 1000):
        path = folder / (f"{stem}.pdf" if n == 1 else f"{stem}-{n}.pdf")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        return path
    raise HoscaseError(f"too many letters of the same kind on one day in {folder}")

