"""`hoscase workdays` and `hoscase case …`."""

from __future__ import annotations

import argparse
import json

from hoscase.errors import HoscaseError
from hoscase.rules import DECISIONS, REFUSAL_REASONS
from hoscase.workdays import WorkingCalendar, parse_date


def register(subparsers: argparse._SubParsersAction) -> None:
    workdays = subparsers.add_parser("workdays", help="working-day arithmetic")
    wsub = workdays.add_subparsers(dest="workdays_command", required=True)
    add = wsub.add_parser("add", help="print the date N working days after DATE")
    add.add_argument("date")
    add.add_argument("n", type=_int("N"))
    add.set_defaults(run=_workdays_add)

    case = subparsers.add_parser("case", help="complaint cases")
    csub = case.add_subparsers(dest="case_command", required=True)

    p = csub.add_parser("add", help="open a stage 1 complaint")
    p.add_argument("--resident", required=True)
    p.add_argument("--address", required=True)
    p.add_argument("--received", required=True)
    p.add_argument("--channel", required=True)
    p.add_argument("--category", required=True)
    p.add_argument("--definition", required=True)
    p.add_argument("--outcome-sought", default="")
    p.add_argument("--handler", default="")
    p.add_argument("--reference")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_case_add)

    p = csub.add_parser("ack", help="record the acknowledgement")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.set_defaults(run=lambda a, c: _act(c, "acknowledge", a.ref, on=a.on))

    p = csub.add_parser("extend", help="extend the response deadline")
    p.add_argument("ref")
    p.add_argument("--working-days", required=True, type=_int("--working-days"))
    p.add_argument("--reason", required=True)
    p.add_argument("--good-reason", action="store_true")
    p.add_argument("--on")
    p.set_defaults(run=lambda a, c: _act(c, "extend", a.ref, working_days=a.working_days, reason=a.reason,
                                             good_reason=a.good_reason, on=a.on))

    p = csub.add_parser("respond", help="record the stage response")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.add_argument("--decision", required=True, choices=list(DECISIONS))
    p.add_argument("--reasons", required=True)
    p.set_defaults(run=lambda a, c: _act(c, "respond", a.ref, on=a.on, decision=a.decision, reasons=a.reasons))

    p = csub.add_parser("escalate", help="open stage 2 at the resident's request")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.add_argument("--handler", default="")
    p.set_defaults(run=lambda a, c: _act(c, "escalate", a.ref, on=a.on, handler=a.handler))

    p = csub.add_parser("refuse", help="do not accept the complaint (Code section 2)")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.add_argument("--reason", required=True, choices=list(REFUSAL_REASONS))
    p.add_argument("--explanation", required=True)
    p.set_defaults(run=lambda a, c: _act(c, "refuse", a.ref, on=a.on, reason=a.reason, explanation=a.explanation))

    p = csub.add_parser("withdraw", help="the resident withdrew the complaint")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.add_argument("--reason", default="")
    p.set_defaults(run=lambda a, c: _act(c, "withdraw", a.ref, on=a.on, reason=a.reason))

    p = csub.add_parser("close", help="close a responded case")
    p.add_argument("ref")
    p.add_argument("--on", required=True)
    p.set_defaults(run=lambda a, c: _act(c, "close", a.ref, on=a.on))

    p = csub.add_parser("show", help="one case")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_case_show)

    p = csub.add_parser("set", help="edit one of a case's details (recorded in its history)")
    p.add_argument("ref")
    p.add_argument("field", help="e.g. address, vulnerabilities, adjustments_review, learning, ombudsman_finding")
    p.add_argument("value")
    p.set_defaults(run=_case_set)

    p = csub.add_parser("action", help="add an outstanding action, or mark one done")
    p.add_argument("ref")
    p.add_argument("--add", metavar="DESCRIPTION")
    p.add_argument("--due")
    p.add_argument("--owner", default="")
    p.add_argument("--done", metavar="ACTION_ID", type=_int("ACTION_ID"))
    p.add_argument("--on")
    p.set_defaults(run=_case_action)

    p = csub.add_parser("history", help="every recorded change to a case")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_case_history)

    p = csub.add_parser("list", help="all cases, or the overdue ones")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_case_list)


def _int(what: str):
    def convert(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text!r}") from None

    return convert


def _workdays_add(args, context) -> int:
    if args.n < 0:
        raise HoscaseError("N must not be negative")
    start = parse_date(args.date, "DATE")
    calendar = WorkingCalendar()
    if context.db_path or context.path.exists():
        calendar = context.service().calendar
    print(calendar.add(start, args.n).isoformat())
    return 0


def _case_add(args, context) -> int:
    case = context.service().add_case(
        resident_name=args.resident, address=args.address, received=args.received, channel=args.channel,
        category=args.category, definition=args.definition, outcome_sought=args.outcome_sought,
        handler=args.handler, reference=args.reference,
    )
    if args.json:
        print(json.dumps(case.to_json(), indent=2, ensure_ascii=False))
    else:
        print(f"{case.reference}: opened; acknowledge by {case.stages[1].acknowledge_due:%a %d %b %Y}")
    return 0


def _act(context, action: str, ref: str, **kwargs) -> int:
    case = getattr(context.service(), action)(ref, **kwargs)
    step = case.next_step()
    tail = f"; next: {step[0]} by {step[1]:%a %d %b %Y}" if step else ""
    print(f"{case.reference}: {case.status_label}{tail}")
    return 0


def _case_show(args, context) -> int:
    case = context.service().get(args.ref)
    if args.json:
        print(json.dumps(case.to_json(), indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"{case.reference}  {case.resident_name}  {case.status_label}")
    print(f"  {case.address}")
    print(f"  {case.definition}")
    for stage in case.stages.values():
        print(f"  Stage {stage.stage}: received {stage.received}, acknowledge by {stage.acknowledge_due}"
              f" (done {stage.acknowledged or '-'}), respond by {stage.respond_due} (done {stage.responded or '-'})")
    return 0


def _case_list(args, context) -> int:
    rows = context.service().list_cases(overdue=args.overdue)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        due = f"{row['next_action']} by {row['due']}" if row["due"] else ""
        flag = "OVERDUE " if row["overdue"] else ""
        print(f"{row['reference']:<14} {row['resident'][:24]:<24} {row['status']:<32} {flag}{due}")
    if not rows:
        print("no cases" if not args.overdue else "nothing overdue")
    return 0


def _case_set(args, context) -> int:
    from hoscase.cases import EDITABLE_FIELDS

    if args.field not in EDITABLE_FIELDS:
        raise HoscaseError(f"{args.field!r} cannot be set; choose one of: {', '.join(EDITABLE_FIELDS)}")
    case = context.service().update(args.ref, {args.field: args.value})
    print(f"{case.reference}: {args.field} saved")
    return 0


def _case_action(args, context) -> int:
    service = context.service()
    if bool(args.add) == (args.done is not None):
        raise HoscaseError("give either --add DESCRIPTION --due DATE, or --done ACTION_ID --on DATE")
    if args.add:
        case = service.add_action(args.ref, {"description": args.add, "due": args.due, "owner": args.owner})
        print(f"{case.reference}: action {case.actions[-1]['id']} added, due {args.due}")
    else:
        case = service.complete_action(args.ref, args.done, args.on)
        print(f"{case.reference}: action {args.done} done")
    return 0


def _case_history(args, context) -> int:
    rows = context.service().history(args.ref)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        change = f"{row['field']}: {row['old'] or '-'} -> {row['new'] or '-'}" if row["field"] else ""
        print(f"{row['at']}  {row['who']:<16} {row['entity']:<8} {row['action']:<12} {change}")
    return 0
