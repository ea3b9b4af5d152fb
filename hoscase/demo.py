"""A realistic demo database: a small landlord's last fifteen months of complaints at every stage.

Seeded, so the same demo is made each time; dated relative to today, so some
cases are always due soon and a few are overdue.
"""

from __future__ import annotations

import datetime as dt
import random

from hoscase.cases import CaseService
from hoscase.store import Store

CATEGORIES = ["Repairs", "Damp and mould", "Anti-social behaviour", "Staff conduct", "Rent and charges",
              "Estate services", "Lettings", "Communication"]
HANDLERS = [("Priya Shah", "Complaints Officer"), ("Tom Evans", "Housing Manager"),
            ("Grace Okafor", "Head of Housing"), ("Mark Lewis", "Chief Executive")]
FIRST = ["Aisha", "Ben", "Chloe", "Dariusz", "Eilidh", "Femi", "Gareth", "Hannah", "Ivan", "Joanne", "Kofi",
         "Lena", "Mohammed", "Niamh", "Olga", "Patrick", "Rhiannon", "Siobhán", "Tariq", "Wiktoria", "Zoë"]
LAST = ["Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fernández", "Green", "Hughes", "Jones", "Kowalski",
        "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Roberts", "Smith", "Thomas", "Williams", "Zieliński"]
STREETS = ["Almshouse Lane", "Bridge Street", "Church Close", "Dyer's Row", "Elm Court", "Foundry Walk",
           "Glebe Road", "Hospital Yard", "Mill Terrace", "Quaker Gardens"]
PROBLEMS = {
    "Repairs": ("The kitchen tap has leaked for six weeks and two repair appointments were missed.",
                "The leak fixed and compensation for the missed appointments."),
    "Damp and mould": ("Black mould has returned in the back bedroom after last winter's treatment.",
                       "A lasting fix for the damp and the bedroom redecorated."),
    "Anti-social behaviour": ("Reports of noise from a neighbouring flat were not followed up.",
                              "The reports investigated and an update on what will happen."),
    "Staff conduct": ("A member of staff was dismissive on the phone when reporting a broken door entry.",
                      "An apology and the door entry repaired."),
    "Rent and charges": ("The service charge rose without the explanation the tenancy promises.",
                         "A breakdown of the charge and any overcharge refunded."),
    "Estate services": ("The communal garden has not been maintained since the spring.",
                        "The garden maintained as the service charge says."),
    "Lettings": ("The offer of a ground-floor flat was withdrawn without a reason.",
                 "A clear reason and the application reconsidered."),
    "Communication": ("Letters about the planned works were never received, and calls went unanswered.",
                      "Regular updates by email about the works."),
}
CHANNELS = ["phone", "email", "letter", "in person", "online form"]


def build_demo(store: Store, today: dt.date | None = None, cases: int = 160, seed: int = 2024) -> int:
    """Fill an empty database with settings and ``cases`` complaints; returns how many were made."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    with store.transaction():
        store.put_setting("organisation", {
            "name": "St Wilfrid's Almshouse Charity", "address": "The Clerk's Office\n4 Hospital Yard\nLudlow\nSY8 1AB",
            "phone": "01584 000 111", "email": "complaints@stwilfrids.example", "website": "www.stwilfrids.example",
            "signatory": "Priya Shah", "signatory_role": "Complaints Officer", "homes": 420,
        })
        store.put_setting("demo", True)
        for name, role in HANDLERS:
            store.put_handler(name, role)
        for name in CATEGORIES:
            store.put_category(name)
        store.put_closure_day(f"{today.year}-12-24", "Office closed for Christmas")
        store.put_closure_day(f"{today.year - 1}-12-24", "Office closed for Christmas")
    service = CaseService(store, who="Priya Shah", today=today)
    calendar = service.calendar
    start = today - dt.timedelta(days=460)
    made = 0
    for i in range(cases):
        received = start + dt.timedelta(days=int(460 * i / cases) + rng.randint(0, 2))
        if received > today:
            break
        category = rng.choice(CATEGORIES)
        definition, outcome = PROBLEMS[category]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        number = rng.randint(1, 40)
        street = rng.choice(STREETS)
        extra = {}
        if rng.random() < 0.12:
            extra = {"vulnerabilities": "Hearing impairment", "adjustments": "Contact by email or text, not phone",
                     "adjustments_review": (received + dt.timedelta(days=180)).isoformat(), "preferred_contact": "email"}
        if rng.random() < 0.06:
            extra["large_print"] = True
            extra["adjustments"] = "Letters in large print"
        case = service.add_case(
            resident_name=name, address=f"{number} {street}\nLudlow\nSY8 {rng.randint(1, 9)}{rng.choice('ABDEF')}{rng.choice('GHJLN')}",
            received=received, channel=rng.choice(CHANNELS), category=category, definition=definition,
            outcome_sought=outcome, handler="Priya Shah" if rng.random() < 0.8 else "Tom Evans",
            email=f"resident{i}@example.org", phone=f"07700 9{rng.randint(10000, 99999)}",
            property=f"{number} {street}", **extra,
        )
        made += 1
        ref = case.reference
        age = (today - received).days
        if rng.random() < 0.04 and age > 10:
            service.refuse(ref, received + dt.timedelta(days=3), rng.choice(["over-12-months", "legal-proceedings"]),
                           "The matter is outside what the complaints policy can consider; see section 2 of the policy.")
            continue
        ack = calendar.add(received, rng.choice([1, 2, 3, 4, 5, 5, 6]))
        if ack > today or (age < 9 and rng.random() < 0.5) or (20 < age < 60 and rng.random() < 0.08):
            continue  # not yet acknowledged; the older of these are overdue
        service.acknowledge(ref, ack)
        stage1 = service.get(ref).stages[1]
        if rng.random() < 0.15:
            service.extend(ref, rng.choice([5, 10]), "Awaiting a surveyor's report on the cause.", on=ack)
            stage1 = service.get(ref).stages[1]
        respond_on = calendar.add(ack, rng.choice([4, 6, 8, 9, 10, 10, 12]) + stage1.extension_working_days)
        if respond_on > today or (age < 80 and rng.random() < 0.1):
            continue  # awaiting the response; some of these are overdue
        if rng.random() < 0.03:
            service.withdraw(ref, respond_on, "Resident said the matter is now resolved.")
            continue
        decision = rng.choice(["upheld", "partly-upheld", "partly-upheld", "not-upheld"])
        remedies, actions = [], []
        if decision != "not-upheld":
            remedies.append({"kind": "apology", "description": "A full apology for the delay."})
            if rng.random() < 0.5:
                remedies.append({"kind": "compensation", "amount": rng.choice(["50", "75", "100", "150", "250"]),
                                 "description": "For the time and trouble caused."})
            actions.append({"description": "Repair work completed and inspected", "owner": "Tom Evans",
                            "due": (respond_on + dt.timedelta(days=rng.choice([7, 14, 28]))).isoformat()})
        service.respond(ref, respond_on, decision,
                        "We looked at the repair history and spoke to the contractor; the appointments were missed "
                        "because of a scheduling error on our side." if decision != "not-upheld" else
                        "The records show the work was completed on time and to standard.",
                        remedies=remedies, actions=actions)
        case = service.get(ref)
        for action in case.actions:
            due = dt.date.fromisoformat(action["due"])
            if due < today - dt.timedelta(days=5) and rng.random() < 0.85:
                service.complete_action(ref, action["id"], due)
        if rng.random() < 0.18:
            request = respond_on + dt.timedelta(days=rng.randint(2, 15))
            if request > today:
                continue
            service.escalate(ref, request, "Grace Okafor")
            ack2 = calendar.add(request, rng.choice([2, 3, 5]))
            if ack2 > today:
                continue
            service.acknowledge(ref, ack2)
            respond2 = calendar.add(ack2, rng.choice([12, 16, 19, 20, 22]))
            if respond2 > today:
                continue
            service.respond(ref, respond2, rng.choice(["upheld", "partly-upheld", "not-upheld"]),
                            "Having reviewed the stage 1 response and the records afresh, we have reached our "
                            "final decision.")
            if rng.random() < 0.2:
                service.update(ref, {"ombudsman_referred_on": (respond2 + dt.timedelta(days=30)).isoformat()
                                     if respond2 + dt.timedelta(days=30) <= today else respond2.isoformat()})
        elif age > 60 and rng.random() < 0.7:
            service.close(ref, min(today, respond_on + dt.timedelta(days=20)))
        if rng.random() < 0.3:
            service.update(ref, {"learning": "Repair appointments are now confirmed by text the day before."})
    return made
