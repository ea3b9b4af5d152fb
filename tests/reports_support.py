"""The hand-counted cases of the financial year 2025/26 that the report tests share.

Stage 1 due dates worked out by hand (England and Wales bank holidays; Good Friday 3 April 2026 and Easter Monday
6 April 2026, Good Friday 18 April 2025 and Easter Monday 21 April 2025):

A  received Mon 2 Jun 2025, acknowledged 3 Jun, due 17 Jun, responded 17 Jun (exactly on the due date: within)
B  received Mon 2 Jun 2025, acknowledged 3 Jun, due 17 Jun, responded 18 Jun (one day late)
C  received Tue 1 Jul 2025, acknowledged 2 Jul, extended 5 working days: due 23 Jul, responded 23 Jul (within
   only because of the extension; without it, due 16 Jul)
D  received Mon 1 Sep 2025, never acknowledged: acknowledgement due 8 Sep, response due 22 Sep, responded 22 Sep
E  received 4 Aug 2025 and refused on 5 Aug: not a received complaint
F  received Wed 25 Mar 2026, acknowledged 26 Mar, due 13 Apr 2026 (over Easter), responded 8 Apr 2026:
   received in 2025/26, responded in 2026/27
G  received Fri 28 Mar 2025, acknowledged 31 Mar, due 14 Apr 2025, responded 10 Apr 2025:
   received in 2024/25, responded in 2025/26
A at stage 2: requested 20 Jun 2025, acknowledged 23 Jun, due 21 Jul, responded 22 Jul (late)
"""

from __future__ import annotations


def make_year_cases(service, new_case, store) -> dict[str, str]:
    """Record cases A to G (and A's stage 2); returns their references by letter."""
    with store.transaction():
        store.put_setting("organisation", {"name": "Test Homes", "homes": 250})
    refs = {}
    refs["A"] = new_case(received="2025-06-02", category="Repairs", channel="phone").reference
    service.acknowledge(refs["A"], on="2025-06-03")
    service.respond(refs["A"], on="2025-06-17", decision="upheld", reasons="We were wrong.",
                    remedies=[{"kind": "apology"}, {"kind": "compensation", "amount": "50.00"}],
                    actions=[{"description": "Fit the new tap", "due": "2025-07-01"}])
    service.escalate(refs["A"], on="2025-06-20", handler="Grace Okafor")
    service.acknowledge(refs["A"], on="2025-06-23")
    service.respond(refs["A"], on="2025-07-22", decision="upheld", reasons="Still wrong.")

    refs["B"] = new_case(received="2025-06-02", category="Repairs", channel="email").reference
    service.acknowledge(refs["B"], on="2025-06-03")
    service.respond(refs["B"], on="2025-06-18", decision="not-upheld", reasons="Done properly.")
    service.update(refs["B"], {"ombudsman_referred_on": "2025-10-01", "ombudsman_finding": "maladministration",
                               "ombudsman_orders": "Pay £100 and apologise", "ombudsman_orders_due": "2025-11-01",
                               "ombudsman_orders_complied_on": "2025-10-20"})

    refs["C"] = new_case(received="2025-07-01", category="Damp and mould", channel="phone").reference
    service.acknowledge(refs["C"], on="2025-07-02")
    service.extend(refs["C"], 5, "Awaiting the surveyor", on="2025-07-03")
    service.respond(refs["C"], on="2025-07-23", decision="partly-upheld", reasons="Partly.")
    service.update(refs["C"], {"learning": "Surveyor visits are now booked within five days."})

    refs["D"] = new_case(received="2025-09-01", category="Repairs", channel="letter").reference
    service.respond(refs["D"], on="2025-09-22", decision="upheld", reasons="Yes.")

    refs["E"] = new_case(received="2025-08-04", category="Staff conduct").reference
    service.refuse(refs["E"], on="2025-08-05", reason="over-12-months", explanation="Issue from 2022.")

    refs["F"] = new_case(received="2026-03-25", category="Repairs", channel="email").reference
    service.acknowledge(refs["F"], on="2026-03-26")
    service.respond(refs["F"], on="2026-04-08", decision="upheld", reasons="Yes.")

    refs["G"] = new_case(received="2025-03-28", category="Lettings", channel="phone").reference
    service.acknowledge(refs["G"], on="2025-03-31")
    service.respond(refs["G"], on="2025-04-10", decision="not-upheld", reasons="No.")
    return refs
