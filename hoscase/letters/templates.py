"""Letter wording as plain text files a landlord can edit, and the small language they are written in.

A template is a UTF-8 text file, one per letter, in resources/letters/; a file of the same
name in the user's letters folder replaces it. The format (see resources/letters/README.md):

    // a note to whoever edits the template (not printed)
    # The letter's subject line
    ## A heading
    A paragraph. Lines that follow each other stay as separate lines;
    a blank line starts a new paragraph. **Bold words**, and {placeholders}.
    - a bulleted point
    {remedies}              (a table or box placeholder, alone on its line)
    @if outcome_sought      (the lines up to @else / @end print only if there is one)
    @else
    @end

Placeholders are checked against the ones the letter offers: an unknown one is an error
naming it and the file, never a blank in a letter the resident receives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hoscase.errors import HoscaseError
from hoscase.paths import resource_path

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Placeholders that print a table or a box, so stand alone on their own line.
BLOCK_PLACEHOLDERS = frozenset({"remedies", "actions", "ombudsman"})


@dataclass
class Segment:
    """Literal text or a placeholder inside one line of a template."""

    text: str
    placeholder: bool = False
    line: int = 0  # where it is in the file, for error messages


@dataclass
class Block:
    """One element of a letter: title, heading, paragraph, bullet, a block placeholder, or a condition."""

    kind: str  # "title" | "heading" | "paragraph" | "bullet" | "block" | "if"
    lines: list[list[Segment]] = field(default_factory=list)
    name: str = ""  # for "block" and "if"
    then: list[Block] = field(default_factory=list)
    otherwise: list[Block] = field(default_factory=list)
    line_number: int = 0


@dataclass
class Template:
    name: str
    path: Path
    blocks: list[Block]

    def placeholders(self) -> dict[str, int]:
        """Every placeholder and condition name used, with the first line it appears on."""
        found: dict[str, int] = {}

        def walk(blocks: list[Block]) -> None:
            for block in blocks:
                if block.name:
                    found.setdefault(block.name, block.line_number)
                for line in block.lines:
                    for seg in line:
                        if seg.placeholder:
                            found.setdefault(seg.text, seg.line or block.line_number)
                walk(block.then)
                walk(block.otherwise)

        walk(self.blocks)
        return found

    def check(self, available: dict[str, str], required: tuple[str, ...] = ()) -> None:
        """Refuse a placeholder the letter does not offer, a table placeholder used inside text,
        or a template missing what the Code requires the letter to say."""
        where = f"the letter template {self.path}"
        used = self.placeholders()
        for name, line in used.items():
            if name not in available:
                choices = ", ".join("{" + n + "}" for n in sorted(available))
                raise HoscaseError(f"unknown placeholder {{{name}}} on line {line} of {where}; it can use {choices}")

        def walk(items: list[Block]) -> None:
            for block in items:
                for line in block.lines:
                    for seg in line:
                        if seg.placeholder and seg.text in BLOCK_PLACEHOLDERS:
                            raise HoscaseError(
                                f"{{{seg.text}}} on line {seg.line} of {where} is a table or box: "
                                "put it alone on its own line"
                            )
                walk(block.then)
                walk(block.otherwise)

        walk(self.blocks)
        missing = [name for name in required if name not in used]
        if missing:
            names = ", ".join("{" + n + "}" for n in missing)
            raise HoscaseError(f"{where} leaves out {names}, which the Code requires this letter to give")


def parse_template(text: str, name: str, path: Path) -> Template:
    """Parse the template text; a syntax mistake is an error naming the file and line."""
    where = f"the letter template {path}"
    root: list[Block] = []
    stack: list[tuple[Block, bool]] = []  # (if-block, in else part)
    paragraph: Block | None = None

    def target() -> list[Block]:
        if not stack:
            return root
        block, in_else = stack[-1]
        return block.otherwise if in_else else block.then

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            paragraph = None
            continue
        if stripped.startswith("@"):
            paragraph = None
            word, _, rest = stripped[1:].partition(" ")
            rest = rest.strip()
            if word == "if":
                if not _NAME.match(rest):
                    raise HoscaseError(f"line {number} of {where}: @if needs one placeholder name, e.g. @if remedies")
                block = Block("if", name=rest, line_number=number)
                target().append(block)
                stack.append((block, False))
            elif word == "else" and not rest:
                if not stack or stack[-1][1]:
                    raise HoscaseError(f"line {number} of {where}: @else without a matching @if")
                stack[-1] = (stack[-1][0], True)
            elif word == "end" and not rest:
                if not stack:
                    raise HoscaseError(f"line {number} of {where}: @end without a matching @if")
                stack.pop()
            else:
                raise HoscaseError(f"line {number} of {where}: unknown instruction {stripped!r} "
                                   "(only @if NAME, @else and @end)")
            continue
        if stripped.startswith("## "):
            target().append(Block("heading", [_segments(stripped[3:].strip(), number, where)], line_number=number))
            paragraph = None
        elif stripped.startswith("# "):
            target().append(Block("title", [_segments(stripped[2:].strip(), number, where)], line_number=number))
            paragraph = None
        elif stripped.startswith("- "):
            target().append(Block("bullet", [_segments(stripped[2:].strip(), number, where)], line_number=number))
            paragraph = None
        elif stripped.startswith("{") and stripped[1:-1] in BLOCK_PLACEHOLDERS and stripped.endswith("}"):
            target().append(Block("block", name=stripped[1:-1], line_number=number))
            paragraph = None
        else:
            segments = _segments(line.strip(), number, where)
            if paragraph is None:
                paragraph = Block("paragraph", line_number=number)
                target().append(paragraph)
            paragraph.lines.append(segments)
    if stack:
        raise HoscaseError(f"{where}: @if {stack[-1][0].name} on line {stack[-1][0].line_number} has no @end")
    return Template(name=name, path=path, blocks=root)


def _segments(line: str, number: int, where: str) -> list[Segment]:
    out: list[Segment] = []
    pos = 0
    for match in _TOKEN.finditer(line):
        if match.start() > pos:
            out.append(Segment(line[pos:match.start()]))
        token = match.group(0)
        if token in ("{{", "}}"):
            out.append(Segment(token[0]))
        elif token in ("{", "}"):
            raise HoscaseError(f"line {number} of {where}: a lone {token!r} (write {token * 2} for a brace)")
        else:
            name = match.group(1).strip()
            if not _NAME.match(name):
                raise HoscaseError(f"unknown placeholder {{{match.group(1)}}} on line {number} of {where}")
            out.append(Segment(name, True, number))
        pos = match.end()
    if pos < len(line):
        out.append(Segment(line[pos:]))
    return out


def default_letters_folder() -> Path:
    """Where a landlord puts its own copies of the templates."""
    import platformdirs

    return Path(platformdirs.user_data_dir("hoscase", appauthor=False)) / "letters"


class TemplateLibrary:
    """Finds each template: the landlord's own copy first, then the one shipped in resources/letters/."""

    def __init__(self, override_folder: Path | str | None = None) -> None:
        self.override_folder = Path(override_folder) if override_folder is not None else default_letters_folder()
        self._cache: dict[str, tuple[Path, float, Template]] = {}

    def path(self, name: str) -> Path:
        own = self.override_folder / f"{name}.txt"
        if own.is_file():
            return own
        shipped = resource_path("letters", f"{name}.txt")
        if not shipped.is_file():
            raise HoscaseError(f"the letter template {shipped} is missing; reinstall hoscase")
        return shipped

    def load(self, name: str) -> Template:
        path = self.path(name)
        try:
            mtime = path.stat().st_mtime
            cached = self._cache.get(name)
            if cached and cached[0] == path and cached[1] == mtime:
                return cached[2]
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise HoscaseError(f"the letter template {path} is not UTF-8 text; save it as UTF-8") from None
        except OSError as exc:
            raise HoscaseError(f"cannot read the letter template {path}: {exc.strerror or exc}") from None
        template = parse_template(text, name, path)
        self._cache[name] = (path, mtime, template)
        return template
