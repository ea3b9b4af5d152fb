"""The demo's other records: self-assessments, improvement actions, service requests and report narratives.

Without them a newcomer's demo shows an unstarted self-assessment, an empty service request list and blank
report sections, which look broken rather than new. Kept apart from demo.py so the cases it makes stay the same.
"""

from __future__ import annotations

import datetime as dt
import random

from hoscase.cases import CaseService
from hoscase.figures import financial_year, year_of, year_start_month
from hoscase.provisions import load_code
from hoscase.reports.narratives import save_narrative
from hoscase.selfassessment import SelfAssessments
from hoscase.service_requests import add_service_request, complete, raise_to_complaint

# Provisions the demo landlord is less sure of, with its own honest words: (comply, rag, commentary).
WEAKER = {
    "3.7": ("Partly", "amber", "Residents are told of the Ombudsman, but not yet at every stage of a complaint."),
    "5.13": ("Partly", "amber", "Remedies are offered at stage 2, but stage 1 handlers are not always sure they may."),
    "6.2": ("Yes", "amber", "Most stage 1 complaints are acknowledged within 5 working days; a few slip."),
    "6.3": ("Partly", "amber", "Most stage 1 responses are on time; extensions are used sparingly."),
    "7.1": ("Yes", "amber", "Responses say what went wrong, but not always what has already been done about it."),
    "9.7": ("No", "red", "The governing body has not yet had a quarterly complaints update."),
}
EVIDENCE = {
    1: "Complaints Policy section 2 (definitions)",
    2: "Complaints Policy section 3 (exclusions); refusal letters",
    3: "Website complaints page; tenants' handbook; large-print and translated letters",
    4: "Job description of the Complaints Officer; training records",
    5: "Complaints Policy section 5; case records in hoscase",
    6: "Case records in hoscase; monthly timeliness check",
    7: "Remedies guidance; compensation policy",
    8: "Annual complaints report; board minutes",
    9: "Board minutes naming the Member Responsible for Complaints",
}
SERVICE_REQUESTS = [
    ("Hannah Ahmed", "3 Church Close\nLudlow\nSY8 2DH", "Report of a blocked gutter above the front door."),
    ("Tariq Hughes", "18 Foundry Walk\nLudlow\nSY8 4BJ", "Asked for a replacement key fob for the main entrance."),
    ("Joanne Patel", "9 Elm Court\nLudlow\nSY8 1EL", "Communal hall light not working on the first floor."),
    ("Aisha Thomas", "12 Glebe Road\nLudlow\nSY8 3FG", "Request for a second wheelie bin."),
    ("Patrick Lewis", "21 Bridge Street\nLudlow\nSY8 5AN", "Fence panel blown down in the storm."),
]


def add_demo_extras(service: CaseService, today: dt.date, seed: int = 2024) -> int:
    """Add last year's approved self-assessment, this year's started from it, service requests and narratives.

    Returns how many complaints it made (one service request is raised to a complaint).
    """
    rng = random.Random(seed + 1)
    this_year = year_of(today, year_start_month(service.store))
    last_year = this_year - 1
    _self_assessments(service, today, this_year, last_year)
    raised = _service_requests(service, today, rng)
    _narratives(service, last_year)
    return raised


def _self_assessments(service: CaseService, today: dt.date, this_year: int, last_year: int) -> None:
    work = SelfAssessments(service)
    code = load_code()
    last = work.start(last_year, completed_by="Priya Shah")
    for p in code.provisions:
        number = str(p.number)
        comply, rag, commentary = WEAKER.get(number, ("Yes", "green", ""))
        work.set_entry(last.id, number, comply=comply, rag=rag, evidence=EVIDENCE.get(p.section, ""),
                       commentary=commentary)
    _, last_end = financial_year(last_year, year_start_month(service.store))
    work.add_action(last.id, "9.7", "Add a quarterly complaints update to the board's agenda", "Mark Lewis",
                    last_end + dt.timedelta(days=60))
    work.add_action(last.id, "3.7", "Add the Ombudsman's details to every stage 1 letter", "Priya Shah",
                    last_end + dt.timedelta(days=30))
    done = work.add_action(last.id, "5.13", "Record a full complaint definition on every new case", "Priya Shah",
                           last_end - dt.timedelta(days=20))
    work.complete_action(done["id"], last_end - dt.timedelta(days=25))
    approved = min(today, last_end + dt.timedelta(days=75))
    work.approve(last.id, "Board of Trustees", approved, "Approved at the board meeting")

    this = work.start(this_year, completed_by="Priya Shah")  # a copy of last year's: only what changed is edited
    work.set_entry(this.id, "3.7", comply="Yes", rag="green",
                   commentary="Every stage letter now gives the Ombudsman's details.")
    work.set_entry(this.id, "9.7", comply="Partly", rag="amber",
                   commentary="Quarterly updates started in the summer; the first went to the board in July.")
    work.add_action(this.id, "6.2", "Check unacknowledged complaints every Monday", "Priya Shah",
                    today + dt.timedelta(days=21))


def _service_requests(service: CaseService, today: dt.date, rng: random.Random) -> int:
    raised = 0
    for i, (name, address, what) in enumerate(SERVICE_REQUESTS):
        received = today - dt.timedelta(days=3 + 9 * i + rng.randint(0, 3))
        request = add_service_request(service, resident_name=name, address=address, received=received,
                                      description=what)
        if i == 1:
            complete(service, request["reference"], received + dt.timedelta(days=2))
        elif i == 3:
            raise_to_complaint(service, request["reference"], "phone", "Estate services",
                               "The bin was promised twice and never delivered.", handler="Priya Shah",
                               received=received + dt.timedelta(days=6))
            raised += 1
    return raised


def _narratives(service: CaseService, year: int) -> None:
    save_narrative(service.store, year, "introduction",
                   "St Wilfrid's Almshouse Charity provides 420 homes in and around Ludlow. Complaints are "
                   "handled by our Complaints Officer; the Member Responsible for Complaints is a trustee.")
    save_narrative(service.store, year, "themes",
                   "Repairs and damp and mould were the commonest complaints, as last year. Most were "
                   "about missed appointments rather than the quality of the work.")
    save_narrative(service.store, year, "learning",
                   "Repair appointments are now confirmed by text the day before, and missed ones are "
                   "rebooked the same day.")
