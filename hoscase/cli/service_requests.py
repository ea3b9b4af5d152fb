"""`hoscase service-request …`: record service requests apart from complaints and raise one to a complaint."""

from __future__ import annotations

import argparse
import json

from hoscase.cases import CHANNELS


def register(subparsers: argparse._SubParsersAction) -> None:
    sr = subparsers.add_parser("service-request", help="service requests (not complaints), and raising one")
    sub = sr.add_subparsers(dest="sr_command", required=True)

    p = sub.add_parser("add", help="record a service request")
    p.add_argument("--resident", required=True)
    p.add_argument("--address", default="")
    p.add_argument("--received", required=True)
    p.add_argument("--description", required=True)
    p.add_argument("--reference")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_add)

    p = sub.add_parser("list", help="service requests, newest first")
    p.add_argument("--status", choices=["all", "open", "done", "raised"], default="all")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_list)

    p = sub.add_parser("done", help="mark a service request done")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.set_defaults(run=_done)

    p = sub.add_parser("raise", help="raise a service request to a stage 1 complaint (Code 1.5)")
    p.add_argument("ref")
    p.add_argument("--received", help="when the resident expressed dissatisfaction (default today)")
    p.add_argument("--channel", required=True, choices=list(CHANNELS))
    p.add_argument("--category", required=True)
    p.add_argument("--definition", default="", help="the complaint definition (default: the request's description)")
    p.add_argument("--outcome-sought", default="")
    p.add_argument("--handler", default="")
    p.add_argument("--address", default="", help="the resident's address, if the request has none")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_raise)


def _add(args, context) -> int:
    from hoscase.service_requests import add_service_request

    row = add_service_request(context.service(), resident_name=args.resident, address=args.address,
                              received=args.received, description=args.description, reference=args.reference)
    if args.json:
        print(json.dumps(row, indent=2, ensure_ascii=False))
    else:
        print(f"{row['reference']}: recorded")
    return 0


def _list(args, context) -> int:
    from hoscase.service_requests import STATUS_LABELS, list_service_requests

    rows = list_service_requests(context.service(), args.status)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        status = STATUS_LABELS.get(row["status"], row["status"])
        if row["case_reference"]:
            status += f" {row['case_reference']}"
        print(f"{row['reference']:<14} {row['received']}  {row['resident_name'][:24]:<24} {status:<32} "
              f"{row['description'][:40]}")
    if not rows:
        print("no service requests")
    return 0


def _done(args, context) -> int:
    from hoscase.service_requests import complete

    row = complete(context.service(), args.ref, args.on)
    print(f"{row['reference']}: done on {row['completed_on']}")
    return 0


def _raise(args, context) -> int:
    from hoscase.service_requests import raise_to_complaint

    case = raise_to_complaint(context.service(), args.ref, channel=args.channel, category=args.category,
                              definition=args.definition, handler=args.handler, received=args.received,
                              outcome_sought=args.outcome_sought, address=args.address)
    if args.json:
        print(json.dumps(case.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        print(f"{args.ref.upper()} raised to complaint {case.reference}; "
              f"acknowledge by {case.stages[1].acknowledge_due:%a %d %b %Y}")
    return 0
