"""`hoscase workdays` and `hoscase case …`."""

from __future__ import annotations

import argparse
import json
import sys

from hoscase.cli import whole_number as _int
from hoscase.errors import HoscaseError
from hoscase.rules import DECISIONS, REFUSAL_REASONS, REMEDY_KINDS
from hoscase.workdays import WorkingCalendar, parse_date

# Fields that are switched on or off (`case set REF legal_hold no`).
YES_NO_FIELDS = ("large_print", "discretion_over_12_months", "legal_hold")
_YES = {"yes", "y", "true", "on", "1"}
_NO = {"no", "n", "false", "off", "0"}
OVER_12_MONTHS_ADVICE = (
    "the issue is over 12 months old (Code 2.3): refuse it with 'hoscase case refuse {ref} --reason over-12-months', "
    "or accept it using discretion with 'hoscase case set {ref} discretion_over_12_months yes'")


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
    p.add_argument("--issue-date", metavar="DATE",
                   help="when the issue complained about happened (flags a complaint over 12 months old, Code 2.3)")
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
    p.add_argument("--update-interval", metavar="TEXT",
                   help="how often the resident will hear from you until the response (Code 5.9)")
    p.set_defaults(run=_case_extend)

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

    p = csub.add_parser("remedy", help="add a remedy (Code 7.1), or mark one done (7.3)")
    p.add_argument("ref")
    p.add_argument("--add", metavar="KIND", choices=list(REMEDY_KINDS))
    p.add_argument("--description", default="")
    p.add_argument("--amount", help="in pounds, e.g. 150.00 (needed for compensation)")
    p.add_argument("--due", help="the date it will be done by")
    p.add_argument("--done", metavar="REMEDY_ID", type=_int("REMEDY_ID"))
    p.add_argument("--on")
    p.set_defaults(run=_case_remedy)

    p = csub.add_parser("history", help="every recorded change to a case")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_case_history)

    p = csub.add_parser("list", help="all cases, or the overdue ones")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_case_list)


def _workdays_add(args, context) -> int:
    if args.n < 0:
        raise HoscaseError("N must not be negative")
    start = parse_date(args.date, "DATE")
    calendar = WorkingCalendar()
    if context.path.exists():  # the organisation's closure days count too; never create a database for this
        calendar = context.service().calendar
    print(calendar.add(start, args.n).isoformat())
    return 0


def _case_add(args, context) -> int:
    extra = {"issue_date": args.issue_date} if args.issue_date else {}
    case = context.service().add_case(
        resident_name=args.resident, address=args.address, received=args.received, channel=args.channel,
        category=args.category, definition=args.definition, outcome_sought=args.outcome_sought,
        handler=args.handler, reference=args.reference, **extra,
    )
    if case.over_12_months():
        print(f"hoscase: warning: {case.reference}: {OVER_12_MONTHS_ADVICE.format(ref=case.reference)}",
              file=sys.stderr)
    if args.json:
        print(json.dumps(case.to_json(), indent=2, ensure_ascii=False))
    else:
        print(f"{case.reference}: opened; acknowledge by {case.stages[1].acknowledge_due:%a %d %b %Y}")
    return 0


def _case_extend(args, context) -> int:
    """The extension and the agreed interval for updates, as one change: both or neither."""
    service = context.service()
    with service.store.transaction():
        service.extend(args.ref, working_days=args.working_days, reason=args.reason, good_reason=args.good_reason,
                       on=args.on)
        if args.update_interval is not None:
            service.set_update_interval(args.ref, args.update_interval)
    return _act(context, "get", args.ref)


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
    fields = case.fields
    if case.over_12_months():
        if fields.get("discretion_over_12_months"):
            print(f"  The issue ({fields['issue_date']}) is over 12 months old; accepted using discretion (Code 2.3)")
        elif case.status != "refused":
            advice = OVER_12_MONTHS_ADVICE.format(ref=case.reference)
            print(f"  {advice[:1].upper()}{advice[1:]}")
    if fields.get("refused_on"):
        print(f"  Not accepted on {fields['refused_on']} ({fields['refusal_reason']}): {fields['refusal_explanation']}")
    if fields.get("withdrawn_on"):
        reason = f": {fields['withdrawn_reason']}" if fields.get("withdrawn_reason") else ""
        print(f"  Withdrawn on {fields['withdrawn_on']}{reason}")
    for stage in case.stages.values():
        print(f"  Stage {stage.stage}: received {stage.received}, acknowledge by {stage.acknowledge_due}"
              f" (done {stage.acknowledged or '-'}), respond by {stage.respond_due} (done {stage.responded or '-'})")
    # The numbers `case remedy REF --done N` and `case action REF --done N` take.
    for remedy in case.remedies:
        amount = f" £{remedy['amount_pence'] / 100:,.2f}" if remedy.get("amount_pence") else ""
        when = f", by {remedy['due']}" if remedy.get("due") else ""
        print(f"  Remedy {remedy['id']} (stage {remedy['stage']}): {REMEDY_KINDS.get(remedy['kind'], remedy['kind'])}"
              f"{amount}{when}: {remedy['description'] or '-'} (done {remedy['done'] or '-'})")
    for action in case.actions:
        owner = f" [{action['owner']}]" if action.get("owner") else ""
        print(f"  Action {action['id']}: {action['description']}{owner}, due {action['due'] or '-'}"
              f" (done {action['done'] or '-'})")
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
    from hoscase.cases import EDITABLE_FIELDS, HANDLER_FIELDS

    if args.field not in EDITABLE_FIELDS and args.field not in HANDLER_FIELDS:
        choices = ", ".join((*EDITABLE_FIELDS, *HANDLER_FIELDS))
        raise HoscaseError(f"{args.field!r} cannot be set; choose one of: {choices}")
    value: str | bool = args.value
    if args.field in YES_NO_FIELDS:
        value = _yes_no(args.field, args.value)
    case = context.service().update(args.ref, {args.field: value})
    print(f"{case.reference}: {args.field} saved")
    return 0


def _yes_no(field: str, text: str) -> bool:
    """A yes/no field typed on the command line: 'no' must never switch it on."""
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise HoscaseError(f"{field} is yes or no, not {text!r}")


def _case_action(args, context) -> int:
    service = context.service()
    if bool(args.add) == (args.done is not None):
        raise HoscaseError("give either --add DESCRIPTION --due DATE, or --done ACTION_ID --on DATE")
    if args.add:
        case = service.add_action(args.ref, {"description": args.add, "due": args.due, "owner": args.owner})
        added = max(case.actions, key=lambda a: a["id"])  # the list is in due-date order
        print(f"{case.reference}: action {added['id']} added, due {added['due']}")
    else:
        case = service.complete_action(args.ref, args.done, args.on if args.on else service.today)
        print(f"{case.reference}: action {args.done} done")
    return 0


def _case_remedy(args, context) -> int:
    service = context.service()
    if bool(args.add) == (args.done is not None):
        raise HoscaseError("give either --add KIND [--amount POUNDS] [--due DATE], or --done REMEDY_ID [--on DATE]")
    if args.add:
        case = service.add_remedy(args.ref, {"kind": args.add, "description": args.description,
                                             "amount": args.amount, "due": args.due})
        added = max(case.remedies, key=lambda r: r["id"])
        due = f", due {added['due']}" if added["due"] else ""
        print(f"{case.reference}: remedy {added['id']} added{due}")
    else:
        case = service.complete_remedy(args.ref, args.done, args.on if args.on else service.today)
        print(f"{case.reference}: remedy {args.done} done")
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
