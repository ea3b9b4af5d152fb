"""`hoscase selfassessment …`: the annual self-assessment against the Code, its improvement plan, and exports."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hoscase.errors import HoscaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    sa = subparsers.add_parser("selfassessment", help="the annual self-assessment against the Code")
    sub = sa.add_subparsers(dest="selfassessment_command", required=True)

    p = sub.add_parser("start", help="start a year's self-assessment as a copy of the last one")
    _year(p)
    p.add_argument("--completed-by", help="who completes it (default: the current user)")
    p.set_defaults(run=_start)

    p = sub.add_parser("set", help="answer one provision")
    _year(p)
    p.add_argument("--provision", required=True, help="the Code's provision number, e.g. 6.2")
    p.add_argument("--comply", help="Yes, No, Partly or Not applicable ('' clears it)")
    p.add_argument("--rag", help="green, amber or red ('' clears it)")
    p.add_argument("--evidence")
    p.add_argument("--commentary")
    p.set_defaults(run=_set)

    p = sub.add_parser("show", help="a year's self-assessment, its summary and what changed since last year")
    _year(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_show)

    p = sub.add_parser("action", help="add an improvement action, or mark one done")
    _year(p, required=False)
    p.add_argument("--provision")
    p.add_argument("--add", metavar="ACTION")
    p.add_argument("--owner", default="")
    p.add_argument("--due", help="the action-by date")
    p.add_argument("--done", metavar="ACTION_ID")
    p.add_argument("--on", help="the date done (default today)")
    p.set_defaults(run=_action)

    p = sub.add_parser("approve", help="record the governing body's approval (8.2)")
    _year(p)
    p.add_argument("--by", required=True, help="the governing body, e.g. 'Board of Trustees'")
    p.add_argument("--on", required=True)
    p.add_argument("--changes", default="", help="the changes made, for the version history")
    p.set_defaults(run=_approve)

    p = sub.add_parser("export", help="write the self-assessment as PDF, CSV or XLSX (or the action plan PDF)")
    _year(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.pdf, FILE.csv or FILE.xlsx")
    p.add_argument("--plan", action="store_true", help="the improvement action plan (PDF) instead")
    p.set_defaults(run=_export)


def _year(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--year", required=required, metavar="YYYY",
                        help="the financial year it starts in (2025 for 2025/26; for 2025 if the year starts in "
                             "January)")


def _assessments(context):
    from hoscase.selfassessment import SelfAssessments

    return SelfAssessments(context.service())


def _started(sa, year):
    assessment = sa.annual(year)
    if not assessment.started:
        raise HoscaseError(f"the {assessment.year_label} self-assessment is not started: "
                           f"run 'hoscase selfassessment start --year {assessment.year}' first")
    return assessment


def _start(args, context) -> int:
    sa = _assessments(context)
    assessment = sa.start(args.year, completed_by=args.completed_by)
    previous = sa.previous(assessment)
    source = f" from {previous.year_label}'s" if previous else " with empty answers"
    print(f"{assessment.label}: started{source} ({len(assessment.actions)} open improvement actions carried over)")
    return 0


def _set(args, context) -> int:
    sa = _assessments(context)
    assessment = _started(sa, args.year)
    changes = {k: getattr(args, k) for k in ("comply", "rag", "evidence", "commentary") if getattr(args, k) is not None}
    if not changes:
        raise HoscaseError("nothing to set: give --comply, --rag, --evidence or --commentary")
    assessment = sa.set_entry(assessment.id, args.provision, **changes)
    entry = assessment.entry(args.provision.strip())
    print(f"{assessment.year_label} {entry.number}: comply {entry.comply or '-'}, RAG {entry.rag or '-'}")
    from hoscase.selfassessment_evidence import record_evidence

    found = record_evidence(sa.service, assessment.year).get(entry.number)
    warning = found.contradiction(entry.comply, entry.rag) if found else None
    if warning:
        print(f"warning: {warning}")
    return 0


def _show(args, context) -> int:
    from hoscase.provisions import load_code
    from hoscase.selfassessment_evidence import record_evidence

    sa = _assessments(context)
    assessment = sa.annual(args.year)
    evidence = record_evidence(sa.service, assessment.year, load_code(assessment.edition).provisions)
    summary = sa.summary(assessment)
    changed = sa.diff(assessment) if assessment.started else []
    if args.json:
        out = {
            "year": assessment.year, "label": assessment.year_label, "started": assessment.started,
            "kind": assessment.kind, "edition": assessment.edition, "completed_by": assessment.completed_by,
            "completed_on": assessment.completed_on, "approved_by": assessment.approved_by,
            "approved_on": assessment.approved_on, "summary": summary,
            "entries": [{
                "provision": e.number, "section": str(e.provision.section), "requirement": e.provision.text,
                **e.values(),
                "from_records": evidence[e.number].lines if e.number in evidence else [],
                "warning": evidence[e.number].contradiction(e.comply, e.rag) if e.number in evidence else None,
            } for e in assessment.entries],
            "actions": assessment.actions, "versions": assessment.versions,
            "changed_since_last_year": [{"provision": c["provision"], "how": c["how"]} for c in changed],
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    state = "not started" if not assessment.started else (
        f"approved {assessment.approved_on} by {assessment.approved_by}" if assessment.approved_on
        else "not yet approved")
    print(f"{assessment.label} ({assessment.edition} Code): {state}")
    print(f"  green {summary['green']}, amber {summary['amber']}, red {summary['red']}, "
          f"unrated {summary['unrated']}; unanswered {summary['unanswered']} of {summary['provisions']}; "
          f"improvement actions {summary['actions_open']} open, {summary['actions_overdue']} overdue")
    for section, title, entries in assessment.sections():
        print(f"Section {section}: {title}")
        for e in entries:
            print(f"  {e.number:<5} {e.comply or '-':<15} {e.rag or '-':<6} {e.evidence[:60]}")
            if e.number in evidence:
                warning = evidence[e.number].contradiction(e.comply, e.rag)
                if warning:
                    print(f"        warning: {warning}")
            for a in assessment.actions_for(e.number):
                print(f"        action {a['id']}: {a['action'][:60]} (by {a['due'] or '-'}; "
                      f"{'done ' + a['done'] if a['done'] else 'open'})")
    if changed:
        print("Changed since last year:")
        for c in changed:
            print(f"  {c['provision']:<5} {c['how']}")
    return 0


def _action(args, context) -> int:
    sa = _assessments(context)
    if bool(args.add) == (args.done is not None):
        raise HoscaseError("give either --year --provision --add ACTION [--owner --due], or --done ACTION_ID")
    if args.add:
        if not args.year or not args.provision:
            raise HoscaseError("an improvement action needs --year and --provision")
        assessment = _started(sa, args.year)
        row = sa.add_action(assessment.id, args.provision, args.add, owner=args.owner, due=args.due)
        print(f"improvement action {row['id']} added to {row['provision']}" + (f", due {row['due']}" if row["due"] else ""))
    else:
        row = sa.complete_action(args.done, args.on)
        print(f"improvement action {row['id']} done {row['done']}")
    return 0


def _approve(args, context) -> int:
    sa = _assessments(context)
    assessment = sa.approve(_started(sa, args.year).id, args.by, args.on, args.changes)
    print(f"{assessment.label}: approved by {assessment.approved_by} on {assessment.approved_on}")
    return 0


def _export(args, context) -> int:
    from hoscase.selfassessment import check_year
    from hoscase.selfassessment_export import export

    path = export(context.service(), check_year(args.year), Path(args.output), plan=args.plan)
    print(f"written {path}")
    return 0
