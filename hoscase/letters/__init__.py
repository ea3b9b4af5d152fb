"""The Code's stage letters as PDF, produced offline from the case record (no Qt here).

    LetterService(case_service).produce("C-2026-0001", "stage1-response")

renders the letter, keeps the PDF under <data folder>/letters/<reference>/ and adds a
correspondence row (kind "letter") to the case, which also writes its history.
"""

from hoscase.letters.content import KINDS, LetterContent, letter_content, letter_kind
from hoscase.letters.details import DEFAULT_OMBUDSMAN, ombudsman_details, organisation_details
from hoscase.letters.service import Letter, LetterService, resolve_letter_path
from hoscase.letters.templates import TemplateLibrary, default_letters_folder

__all__ = [
    "DEFAULT_OMBUDSMAN",
    "KINDS",
    "Letter",
    "LetterContent",
    "LetterService",
    "TemplateLibrary",
    "default_letters_folder",
    "letter_content",
    "letter_kind",
    "ombudsman_details",
    "organisation_details",
    "resolve_letter_path",
]
