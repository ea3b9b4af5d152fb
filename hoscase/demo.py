"""A realistic demo database: a small landlord's last fifteen months of complaints at every stage.

Seeded, so the same demo is made each time; dated relative to today, so some
cases are always due soon and a few are overdue. After the cases are made, ``_enrich`` adds what a real
record has too (with its own random stream, so the cases themselves stay the same): notes and calls on the
timeline, dated remedies carried out or still owed, the Ombudsman's involvement, learning, a representative,
an escalation waiting to be acknowledged and a long extension with a good reason.
(Service requests, self-assessments and report narratives come from ``demo_extras``.)
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
LEARNING = {
    "Repairs": "Repair appointments are now confirmed by text the day before, and missed ones rebooked the same day.",
    "Damp and mould": "Damp and mould reports are now inspected within 10 working days and revisited after 6 weeks.",
    "Anti-social behaviour": "Every noise report now gets a named officer and an update within 5 working days.",
    "Staff conduct": "Front-line staff have had refresher training on taking reports by phone.",
    "Rent and charges": "Service charge letters now include a line-by-line breakdown.",
    "Estate services": "The grounds contract now has monthly checks against the specification.",
    "Lettings": "Withdrawn offers are now explained in writing with the reason and the right to a review.",
    "Communication": "Residents affected by planned works now get a named contact and fortnightly updates.",
}
REFUSALS = {
    "over-12-months": "The events complained of happened more than 12 months before the complaint was made, "
                      "and there is no good reason to look at them now (policy section 2.3).",
    "legal-proceedings": "The matter is now the subject of court proceedings about the tenancy (policy section 2.3).",
    "previously-considered": "This complaint was considered and answered in full last year (policy section 2.3).",
    "other": "This is a request for a service, not yet a complaint; it has been passed to the repairs team as "
             "a service request (policy section 1.4).",
}
NOTES = [
    ("phone", "in", "Resident phoned for an update; told the response is on track."),
    ("email", "out", "Emailed the resident to confirm the complaint definition and the outcome sought."),
    ("note", "out", "Spoke to the repairs manager; the job history has been requested."),
    ("meeting", "out", "Visited the property with the surveyor; photographs taken."),
    ("letter", "in", "Letter from the resident with more detail and photographs of the problem."),
    ("phone", "out", "Called the resident to agree the interval for updates: every Friday by phone."),
]


class _DemoService(CaseService):
    """Records each change in the history at the (past) date it stands for, so the demo's timelines read true.

    Every change made between two settings of ``clock`` shares one moment, as one real action's changes do."""

    _clock: dt.date | None = None
    _tick = 0

    @property
    def clock(self) -> dt.date | None:
        return self._clock

    @clock.setter
    def clock(self, day: dt.date | None) -> None:
        self._clock = day
        self._tick += 1

    def _stamp(self) -> str:
        if self._clock is None:
            return super()._stamp()
        minutes = 9 * 60 + self._tick % 480
        return f"{self._clock.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00+00:00"


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
    service = _DemoService(store, who="Priya Shah", today=today)
    calendar = service.calendar
    start = today - dt.timedelta(days=460)
    made = refused = 0
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
        service.clock = received
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
            rng.choice(["over-12-months", "legal-proceedings"])  # kept so the random stream, and the cases, stay the same
            reason = list(REFUSALS)[refused % len(REFUSALS)]  # every one of the Code's reasons appears
            refused += 1
            if reason == "over-12-months":
                service.update(ref, {"issue_date": (received - dt.timedelta(days=430)).isoformat()})
            service.clock = received + dt.timedelta(days=3)
            service.refuse(ref, service.clock, reason, REFUSALS[reason])
            continue
        ack = calendar.add(received, rng.choice([1, 2, 3, 4, 5, 5, 6]))
        if ack > today or (age < 9 and rng.random() < 0.5) or (20 < age < 60 and rng.random() < 0.08):
            continue  # not yet acknowledged; the older of these are overdue
        service.clock = ack
        service.acknowledge(ref, ack)
        stage1 = service.get(ref).stages[1]
        if rng.random() < 0.15:
            service.extend(ref, rng.choice([5, 10]), "Awaiting a surveyor's report on the cause.", on=ack)
            stage1 = service.get(ref).stages[1]
        respond_on = calendar.add(ack, rng.choice([4, 6, 8, 9, 10, 10, 12]) + stage1.extension_working_days)
        if respond_on > today or (age < 80 and rng.random() < 0.1):
            continue  # awaiting the response; some of these are overdue
        if rng.random() < 0.03:
            service.clock = respond_on
            service.withdraw(ref, respond_on, "Resident said the matter is now resolved.")
            continue
        decision = rng.choice(["upheld", "partly-upheld", "partly-upheld", "not-upheld"])
        remedies, actions = [], []
        if decision != "not-upheld":
            remedies.append({"kind": "apology", "description": "A full apology for the delay."})
            if rng.random() < 0.5:
                amount = rng.choice(["50", "75", "100", "150", "250"])
                remedies.append({"kind": "compensation", "amount": amount,
                                 "description": f"£{amount} paid to the rent account for the time and trouble caused.",
                                 "due": (respond_on + dt.timedelta(days=10)).isoformat()})
            if category == "Damp and mould":
                remedies.append({"kind": "action", "description": "Mould wash and anti-mould paint in the back bedroom.",
                                 "due": (respond_on + dt.timedelta(days=21)).isoformat()})
            actions.append({"description": "Repair work completed and inspected", "owner": "Tom Evans",
                            "due": (respond_on + dt.timedelta(days=rng.choice([7, 14, 28]))).isoformat()})
        service.clock = respond_on
        service.respond(ref, respond_on, decision,
                        "We looked at the repair history and spoke to the contractor; the appointments were missed "
                        "because of a scheduling error on our side." if decision != "not-upheld" else
                        "The records show the work was completed on time and to standard.",
                        remedies=remedies, actions=actions)
        case = service.get(ref)
        for action in case.actions:
            due = dt.date.fromisoformat(action["due"])
            # Most follow-up work gets done; only a few recent ones are still owed (and one or two old ones slip).
            if due < today - dt.timedelta(days=5) and rng.random() < (0.97 if due < today - dt.timedelta(days=60) else 0.8):
                service.clock = due
                service.complete_action(ref, action["id"], due)
        if rng.random() < 0.18:
            request = respond_on + dt.timedelta(days=rng.randint(2, 15))
            if request > today:
                continue
            service.clock = request
            service.escalate(ref, request, "Grace Okafor")
            ack2 = calendar.add(request, rng.choice([2, 3, 5]))
            if ack2 > today:
                continue
            service.clock = ack2
            service.acknowledge(ref, ack2)
            respond2 = calendar.add(ack2, rng.choice([12, 16, 19, 20, 22]))
            if respond2 > today:
                continue
            service.clock = respond2
            decision2 = rng.choice(["upheld", "partly-upheld", "not-upheld"])
            # Upheld at stage 2 means stage 1 got something wrong: an apology at least (Code 7.1).
            remedies2 = [] if decision2 == "not-upheld" else [
                {"kind": "apology", "description": "An apology for how the complaint was handled at stage 1."}]
            service.respond(ref, respond2, decision2,
                            "Having reviewed the stage 1 response and the records afresh, we have reached our "
                            "final decision.", remedies=remedies2)
            if rng.random() < 0.2:
                service.clock = min(today, respond2 + dt.timedelta(days=30))
                service.update(ref, {"ombudsman_referred_on": (respond2 + dt.timedelta(days=30)).isoformat()
                                     if respond2 + dt.timedelta(days=30) <= today else respond2.isoformat()})
        elif age > 60 and rng.random() < 0.7:
            service.clock = min(today, respond_on + dt.timedelta(days=20))
            service.close(ref, service.clock)
        if rng.random() < 0.3:
            service.clock = min(today, respond_on + dt.timedelta(days=25))
            service.update(ref, {"learning": LEARNING[category]})
    _enrich(service, today, random.Random(seed + 7))
    return made


def _enrich(service: CaseService, today: dt.date, rng: random.Random) -> None:
    """What a living record has beyond the stage dates, added to the cases just made."""
    calendar = service.calendar
    cases = [service.get(row["reference"]) for row in service.list_cases()]
    for case in cases:
        # The timeline: calls, emails and visits between receipt and the end of the case.
        received = case.stages[1].received
        end = min(today, max((s.responded or today) for s in case.stages.values()))
        for kind, direction, summary in rng.sample(NOTES, rng.randint(0, 3)):
            if case.status == "refused" or end <= received:
                break
            on = received + dt.timedelta(days=rng.randint(1, max(1, (end - received).days)))
            service.clock = min(on, today)
            service.add_correspondence(case.reference, service.clock, summary, direction=direction, kind=kind)
        # Remedies promised by a date: most carried out on time, a few late or still owed.
        for remedy in case.remedies:
            due = dt.date.fromisoformat(remedy["due"]) if remedy["due"] else None
            if due is None and remedy["kind"] == "apology" and case.stages[remedy["stage"]].responded:
                # An apology is given in the response letter itself: done the day the response went.
                service.clock = case.stages[remedy["stage"]].responded
                service.complete_remedy(case.reference, remedy["id"], service.clock)
                continue
            if due and due < today - dt.timedelta(days=3) and rng.random() < (0.95 if due < today - dt.timedelta(days=60) else 0.8):
                done = min(today, due + dt.timedelta(days=rng.choice([-3, -1, 0, 0, 2, 9])))
                service.clock = max(done, case.stages[remedy["stage"]].responded)
                service.complete_remedy(case.reference, remedy["id"], service.clock)
    service.clock = None  # what follows is dated in the changes themselves, so it is recorded as made today
    open_cases = [c for c in cases if c.is_open]
    # A representative acting for the resident (Code 5.6) on a few cases.
    for case, (name, contact) in zip(cases[::37], [("Cllr Helen Price", "helen.price@shropshire.example"),
                                                   ("Daniel Morgan (son)", "07700 900461"),
                                                   ("Ludlow Citizens Advice", "advice@ludlowcab.example"),
                                                   ("Mary Hughes (sister)", "01584 000 342"),
                                                   ("Rev. Alan Shaw", "01584 000 876")]):
        service.update(case.reference, {"representative_name": name, "representative_contact": contact})
    # Accepted although the issue is over 12 months old, using the discretion the Code allows (2.3).
    if open_cases:
        first = open_cases[0]
        service.update(first.reference, {"issue_date": (first.stages[1].received - dt.timedelta(days=400)).isoformat(),
                                         "discretion_over_12_months": True})
        # An adjustments review falling due this week, so the work list shows one.
        service.update(first.reference, {"vulnerabilities": "Visual impairment; lives alone",
                                          "adjustments": "Letters in large print; phone before any visit",
                                          "large_print": True,
                                          "adjustments_review": calendar.add(today, 2).isoformat()})
    # A stage 1 response recently sent: the resident has asked to escalate and it is waiting to be acknowledged.
    recent = sorted((c for c in cases if c.status == "stage1-responded"), key=lambda c: c.stages[1].responded)
    if recent and 2 not in recent[-1].stages:
        case = recent[-1]
        request = min(today, max(case.stages[1].responded, today - dt.timedelta(days=2)))
        service.clock = request
        service.escalate(case.reference, request, "Grace Okafor" if case.stages[1].handler != "Grace Okafor"
                         else "Mark Lewis", "The resident says the leak is still not fixed.")
    # A long stage 2 extension with a recorded good reason (6.15).
    waiting = [c for c in open_cases if c.status == "stage2-awaiting-response"]
    for case in waiting[:1]:
        service.clock = case.stages[2].acknowledged
        service.extend(case.reference, 25, "An independent surveyor's report on the structure is needed and the "
                       "earliest survey date is in four weeks.", good_reason=True, on=case.stages[2].acknowledged)
    _ombudsman(service, [c for c in cases if c.status == "stage2-responded"], today)


def _ombudsman(service: CaseService, finished: list, today: dt.date) -> None:
    """The Ombudsman's involvement after the final response: referral, determination, findings and orders."""
    finished.sort(key=lambda c: c.stages[2].responded)
    scenarios = [
        ("maladministration", "Apologise; pay £350 compensation; inspect the roof and report back.", 28, 20),
        ("service failure", "Pay £150 compensation for the delay in responding.", 28, 41),
        ("no maladministration", "", 0, 0),
        ("severe maladministration", "Apologise in writing from the Chief Executive; pay £900 compensation; "
                                     "review the damp and mould policy.", 42, None),
        ("", "", 0, 0),  # referred, not yet determined
    ]
    for case, (finding, orders, weeks_days, complied_after) in zip(finished, scenarios):
        final = case.stages[2].responded
        referred = min(today, final + dt.timedelta(days=35))
        changes: dict = {"ombudsman_referred_on": referred.isoformat()}
        determined = referred + dt.timedelta(days=150)
        if finding and determined <= today:
            changes.update(ombudsman_determined_on=determined.isoformat(), ombudsman_finding=finding,
                           ombudsman_orders=orders)
            if orders:
                due = determined + dt.timedelta(days=weeks_days)
                changes["ombudsman_orders_due"] = due.isoformat()
                if complied_after is not None and determined + dt.timedelta(days=complied_after) <= today:
                    changes["ombudsman_orders_complied_on"] = (determined + dt.timedelta(days=complied_after)).isoformat()
        service.clock = max(dt.date.fromisoformat(v) for k, v in changes.items() if k != "ombudsman_orders"
                            and k != "ombudsman_finding")
        service.update(case.reference, changes)
    service.clock = None
