"""One case in its own window: every field, the stage actions, the timeline, attachments, remedies and learning.

Edited details are saved only with Save; closing with unsaved edits asks Save, Discard or Cancel,
and a stage action or a change made elsewhere never overwrites what the officer is typing.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import re
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QDesktopServices, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from hoscase.cases import CHANNELS, CONTACT_PREFERENCES, HANDLER_FIELDS, OMBUDSMAN_FINDINGS, STATUS_LABELS, Case
from hoscase.errors import HoscaseError
from hoscase.gui.dialogs.acknowledge import AcknowledgeDialog
from hoscase.gui.dialogs.add_action import AddActionDialog
from hoscase.gui.dialogs.add_note import AddNoteDialog
from hoscase.gui.dialogs.add_remedy import AddRemedyDialog
from hoscase.gui.dialogs.close import CloseDialog
from hoscase.gui.dialogs.escalate import EscalateDialog
from hoscase.gui.dialogs.extend import ExtendDialog
from hoscase.gui.dialogs.refuse import RefuseDialog
from hoscase.gui.dialogs.respond import RespondDialog
from hoscase.gui.dialogs.withdraw import WithdrawDialog
from hoscase.gui.format import as_date, money, plural, uk_date, uk_datetime
from hoscase.gui.widgets import ErrorLabel, OptionalDateEdit, child, fit_to_screen, load_ui
from hoscase.rules import DECISIONS, REFUSAL_REASONS, REMEDY_KINDS

OVERDUE_COLOUR = QColor("#a4262c")
LETTER_KINDS = (
    ("stage1-acknowledgement", "Stage 1 acknowledgement"),
    ("stage1-response", "Stage 1 response"),
    ("extension", "Extension"),
    ("stage2-acknowledgement", "Stage 2 acknowledgement"),
    ("stage2-response", "Stage 2 final response"),
    ("refusal", "Not accepted (refusal)"),
)
# The stage action buttons: (action in Case.allowed_actions(), button name, dialog).
ACTIONS = (
    ("acknowledge", "acknowledgeButton", AcknowledgeDialog),
    ("extend", "extendButton", ExtendDialog),
    ("respond", "respondButton", RespondDialog),
    ("escalate", "escalateButton", EscalateDialog),
    ("refuse", "refuseButton", RefuseDialog),
    ("withdraw", "withdrawButton", WithdrawDialog),
    ("close", "closeCaseButton", CloseDialog),
)
# Editable fields and their widgets in ui/case_window.ui.
FIELDS = (
    ("resident_name", "residentNameEdit", QLineEdit),
    ("address", "addressEdit", QPlainTextEdit),
    ("property", "propertyEdit", QLineEdit),
    ("phone", "phoneEdit", QLineEdit),
    ("email", "emailEdit", QLineEdit),
    ("preferred_contact", "preferredContactCombo", QComboBox),
    ("representative_name", "representativeNameEdit", QLineEdit),
    ("representative_contact", "representativeContactEdit", QLineEdit),
    ("vulnerabilities", "vulnerabilitiesEdit", QPlainTextEdit),
    ("adjustments", "adjustmentsEdit", QPlainTextEdit),
    ("adjustments_review", "adjustmentsReviewDate", OptionalDateEdit),
    ("large_print", "largePrintCheck", QCheckBox),
    ("channel", "channelCombo", QComboBox),
    ("category", "categoryCombo", QComboBox),
    ("issue_date", "issueDateEdit", OptionalDateEdit),
    ("discretion_over_12_months", "discretionCheck", QCheckBox),
    ("definition", "definitionEdit", QPlainTextEdit),
    ("outcome_sought", "outcomeSoughtEdit", QPlainTextEdit),
    ("not_responsible", "notResponsibleEdit", QPlainTextEdit),
    ("legal_hold", "legalHoldCheck", QCheckBox),
    ("ombudsman_referred_on", "ombudsmanReferredDate", OptionalDateEdit),
    ("ombudsman_finding", "ombudsmanFindingCombo", QComboBox),
    ("ombudsman_orders", "ombudsmanOrdersEdit", QPlainTextEdit),
    ("ombudsman_orders_due", "ombudsmanOrdersDueDate", OptionalDateEdit),
    ("ombudsman_orders_complied_on", "ombudsmanCompliedDate", OptionalDateEdit),
    ("learning", "learningEdit", QPlainTextEdit),
)
ID_ROLE = Qt.UserRole + 1
CORRESPONDENCE_KINDS = {"note", "phone", "email", "letter", "meeting", "attachment"}


def letter_module():
    """The letters engineer's preview dialog module, or None until it exists."""
    try:
        return importlib.import_module("hoscase.gui.letter_preview")
    except ModuleNotFoundError as exc:
        if exc.name in ("hoscase.gui.letter_preview", "hoscase.gui"):
            return None
        raise


def _safe_folder_name(reference: str) -> str:
    return re.sub(r"[^\w.-]+", "_", reference).strip("._") or "case"


def _show_value(value: Any) -> str:
    """A history value as an officer reads it: dates in UK form, nothing for None."""
    if value is None or value == "":
        return "—"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return uk_date(text)
    if text in STATUS_LABELS:
        return STATUS_LABELS[text]
    if text in DECISIONS:
        return DECISIONS[text]
    return text if len(text) <= 120 else text[:117] + "…"


class CaseWindow(QMainWindow):
    """A window for one case; MainWindow keeps one per reference."""

    closed = Signal(str)  # the reference, once the window has closed

    def __init__(self, ctx, reference: str, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.case: Case = ctx.service.get(reference)
        self.reference = self.case.reference
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setObjectName("caseWindow")
        self.body = load_ui("case_window.ui", self)
        self.setCentralWidget(self.body)
        self._baseline: dict[str, Any] = {}
        self._populating = False

        form = self.body
        self.title_label = child(form, QLabel, "titleLabel")
        self.title_label.setObjectName("caseTitle")
        self.status_label = child(form, QLabel, "statusLabel")
        self.status_label.setObjectName("caseStatus")
        self.next_step_label = child(form, QLabel, "nextStepLabel")
        self.tabs = child(form, QTabWidget, "tabs")
        self.stages_view = child(form, QTextBrowser, "stagesView")
        self.timeline = child(form, QTreeWidget, "timelineTree")
        self.attachments = child(form, QTreeWidget, "attachmentsTree")
        self.remedies = child(form, QTreeWidget, "remediesTree")
        self.actions_tree = child(form, QTreeWidget, "actionsTree")
        self.save_button = child(form, QPushButton, "saveButton")
        self.revert_button = child(form, QPushButton, "revertButton")
        self.unsaved_label = child(form, QLabel, "unsavedLabel")
        self.unsaved_label.setObjectName("unsavedLabel")
        self.letter_button = child(form, QPushButton, "letterButton")
        self.buttons = {action: child(form, QPushButton, name) for action, name, _ in ACTIONS}
        self.fields = {name: child(form, kind, widget) for name, widget, kind in FIELDS}
        self._add_handler_rows()
        self._add_ombudsman_rows()
        self._add_remedy_buttons()
        self.save_error = ErrorLabel()
        form.layout().insertWidget(form.layout().count() - 1, self.save_error)

        self._fill_choices()
        for action, _, dialog in ACTIONS:
            self.buttons[action].clicked.connect(lambda _=False, d=dialog: self._run_dialog(d))
        child(form, QPushButton, "noteButton").clicked.connect(lambda: self._run_dialog(AddNoteDialog))
        child(form, QPushButton, "addActionButton").clicked.connect(lambda: self._run_dialog(AddActionDialog))
        self.mark_done_button = child(form, QPushButton, "markDoneButton")
        self.mark_done_button.clicked.connect(self._on_mark_done)
        self.actions_tree.currentItemChanged.connect(self._update_done_buttons)
        self.remedies.currentItemChanged.connect(self._update_done_buttons)
        child(form, QPushButton, "addAttachmentButton").clicked.connect(self._on_add_attachment)
        self.open_attachment_button = child(form, QPushButton, "openAttachmentButton")
        self.open_attachment_button.clicked.connect(self._on_open_attachment)
        self.attachments.currentItemChanged.connect(self._update_done_buttons)
        self.attachments.itemDoubleClicked.connect(lambda *_: self._on_open_attachment())
        self.timeline.itemDoubleClicked.connect(self._on_timeline_activated)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._on_revert)
        self._build_letter_menu()
        self._connect_dirty_tracking()

        save = QAction("Save", self, shortcut=QKeySequence.Save, triggered=self.save)
        close = QAction("Close", self, shortcut=QKeySequence.Close, triggered=self.close)
        self.addActions([save, close])
        heading_font = QFont(self.timeline.header().font())
        heading_font.setBold(True)
        bold_metrics = QFontMetrics(heading_font)
        for tree, widths in ((self.timeline, (130, 210, 420)), (self.attachments, (110, 260)),
                             (self.remedies, (50, 230, 260, 80, 130)), (self.actions_tree, (50, 390, 140, 150))):
            for column, width in enumerate(widths):
                # Never narrower than the heading itself, set in bold by the stylesheet, with its padding.
                heading = tree.headerItem().text(column)
                tree.setColumnWidth(column, max(width, bold_metrics.horizontalAdvance(heading) + 20))

        fit_to_screen(self, 1120, 800)
        if settings is not None and settings.value("case_window/geometry"):
            self.restoreGeometry(settings.value("case_window/geometry"))
        self.populate(self.case, form_too=True)
        ctx.cases_changed.connect(self._on_cases_changed)

    # --- building ------------------------------------------------------

    def _add_handler_rows(self) -> None:
        """Who handles each stage (5.6, 6.13), edited with the other details, under the date received."""
        complaint_form: QFormLayout = child(self.body, QWidget, "complaintBox").layout()
        self.handler_labels: dict[str, QLabel] = {}
        for offset, (name, number) in enumerate(HANDLER_FIELDS.items(), start=1):
            combo = QComboBox()
            combo.setObjectName(f"stage{number}HandlerCombo")
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.NoInsert)
            combo.setAccessibleName(f"Stage {number} handler")
            combo.lineEdit().setPlaceholderText("Nobody recorded yet")
            label = QLabel(f"Stage {number} handler:")
            label.setBuddy(combo)
            complaint_form.insertRow(offset, label, combo)
            self.handler_labels[name] = label
            self.fields[name] = combo

    def _add_ombudsman_rows(self) -> None:
        """The determination date and whether the orders were complied with on time (8.1c, 8.1f, 9.7c)."""
        form: QFormLayout = child(self.body, QWidget, "ombudsmanBox").layout()
        determined = OptionalDateEdit()
        determined.setObjectName("ombudsmanDeterminedDate")
        determined.setAccessibleName("Ombudsman's determination on")
        label = QLabel("Determined on:")
        label.setBuddy(determined)
        form.insertRow(1, label, determined)
        self.fields["ombudsman_determined_on"] = determined
        self.compliance_label = QLabel()
        self.compliance_label.setObjectName("ombudsmanCompliance")
        self.compliance_label.setAccessibleName("Compliance with the Ombudsman's orders")
        self.compliance_label.setWordWrap(True)
        form.addRow(QLabel("Compliance:"), self.compliance_label)

    def _add_remedy_buttons(self) -> None:
        layout = child(self.body, QWidget, "remediesTab").layout()
        row = QHBoxLayout()
        add = QPushButton("Add remedy…")
        add.setObjectName("addRemedyButton")
        add.setAccessibleName("Add a remedy")
        add.clicked.connect(lambda: self._run_dialog(AddRemedyDialog))
        self.remedy_done_button = QPushButton("Mark remedy done")
        self.remedy_done_button.setObjectName("remedyDoneButton")
        self.remedy_done_button.setAccessibleName("Mark the remedy done")
        self.remedy_done_button.clicked.connect(self._on_remedy_done)
        row.addWidget(add)
        row.addWidget(self.remedy_done_button)
        row.addStretch(1)
        layout.insertLayout(layout.indexOf(self.remedies) + 1, row)

    def _fill_choices(self) -> None:
        store = self.ctx.store
        combo: QComboBox = self.fields["preferred_contact"]
        for choice in CONTACT_PREFERENCES:
            combo.addItem(choice.capitalize(), choice)
        combo = self.fields["channel"]
        for choice in CHANNELS:
            combo.addItem(choice.capitalize(), choice)
        combo = self.fields["category"]
        combo.setInsertPolicy(QComboBox.NoInsert)
        for name in store.categories():
            combo.addItem(name, name)
        combo = self.fields["ombudsman_finding"]
        for finding in OMBUDSMAN_FINDINGS:
            combo.addItem(finding.capitalize() if finding else "None yet", finding)
        names = [h["name"] for h in store.handlers()]
        for name in HANDLER_FIELDS:
            combo = self.fields[name]
            combo.addItem("", "")
            for handler in names:
                combo.addItem(handler, handler)

    def _build_letter_menu(self) -> None:
        menu = QMenu(self.letter_button)
        self.letter_actions: dict[str, QAction] = {}
        module = letter_module()
        for kind, label in LETTER_KINDS:
            action = menu.addAction(f"{label}…")
            action.setData(kind)
            action.setEnabled(module is not None)
            action.triggered.connect(lambda _=False, k=kind: self._on_letter(k))
            self.letter_actions[kind] = action
        if module is None:
            menu.addSeparator()
            note = menu.addAction("Letters come in a later release")
            note.setEnabled(False)
        self.letter_button.setMenu(menu)

    def _connect_dirty_tracking(self) -> None:
        for widget in self.fields.values():
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._on_edited)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self._on_edited)
            elif isinstance(widget, QComboBox):
                widget.currentTextChanged.connect(self._on_edited)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._on_edited)
            elif isinstance(widget, OptionalDateEdit):
                widget.changed.connect(self._on_edited)

    # --- showing -------------------------------------------------------

    def populate(self, case: Case, form_too: bool) -> None:
        """Show ``case``; the details form only when asked (never over unsaved edits)."""
        self.case = case
        today = self.ctx.today
        self.setWindowTitle(f"{case.reference} · {case.fields['resident_name']}[*] — hoscase")
        self.title_label.setText(f"{case.reference} · {case.fields['resident_name']}")
        self.status_label.setText(case.status_label)
        self.next_step_label.setText(self._next_step_text(case, today))
        overdue = case.is_overdue(today)
        self.next_step_label.setProperty("overdue", overdue)
        self.next_step_label.style().unpolish(self.next_step_label)
        self.next_step_label.style().polish(self.next_step_label)
        allowed = case.allowed_actions()
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
            button.setToolTip("" if action in allowed else f"Not possible now: the case is {case.status_label.lower()}")
        self.child_received().setText(uk_date(case.fields["received"]))
        self.stages_view.setHtml(self._stages_html(case, today))
        self._show_timeline(case)
        self._show_attachments(case)
        self._show_remedies(case, today)  # last: it sets which row buttons apply
        stage2 = 2 in case.stages
        self.handler_labels["stage2_handler"].setVisible(stage2)
        self.fields["stage2_handler"].setVisible(stage2)
        self.compliance_label.setText(self._compliance_text(case, today))
        if form_too:
            self._populate_form(case)
        self._update_dirty()

    @staticmethod
    def _compliance_text(case: Case, today: dt.date) -> str:
        """Whether the Ombudsman's orders were complied with on time, worked out from the recorded dates."""
        due = as_date(case.fields.get("ombudsman_orders_due"))
        done = as_date(case.fields.get("ombudsman_orders_complied_on"))
        if due is None:
            return f"Complied on {uk_date(done)}" if done else "No orders with a due date recorded."
        if done:
            return (f"Complied on time ({uk_date(done)}, due by {uk_date(due)})" if done <= due
                    else f"Complied late ({uk_date(done)}, {plural((done - due).days, 'day')} after {uk_date(due)})")
        if due < today:
            return f"⚠  Not yet complied: overdue since {uk_date(due)}"
        return f"Not yet complied: due by {uk_date(due)}"

    def child_received(self) -> QLabel:
        return child(self.body, QLabel, "receivedValue")

    def _next_step_text(self, case: Case, today: dt.date) -> str:
        step = case.next_step()
        if step is None:
            ended = {"closed": case.fields.get("closed_on"), "refused": case.fields.get("refused_on"),
                     "withdrawn": case.fields.get("withdrawn_on")}.get(case.status)
            if ended:
                return f"No deadlines: {case.status_label.lower()} on {uk_date(ended)}."
            if case.status == "stage1-responded":
                return (f"Stage 1 response sent {uk_date(case.stages[1].responded)}. "
                        "Waiting to see whether the resident asks to escalate to stage 2.")
            if case.status == "stage2-responded":
                return (f"Final response sent {uk_date(case.stages[2].responded)}. "
                        "The resident may now refer the complaint to the Housing Ombudsman.")
            return "No open deadline."
        action, due = step
        stage = case.current_stage.stage
        text = f"Next: {action} (stage {stage}) by {uk_date(due)}"
        if due < today:
            days = self.ctx.service.calendar.between(due, today)
            text = f"⚠  Overdue: {action} (stage {stage}) was due by {uk_date(due)}, {plural(days, 'working day')} ago"
        elif due == today:
            text += " (today)"
        return text

    def _stages_html(self, case: Case, today: dt.date) -> str:
        parts = []
        for number, stage in sorted(case.stages.items()):
            rows = [("Handler", stage.handler or "—"),
                    ("Received" if number == 1 else "Escalation requested", uk_date(stage.received))]
            ack = (f"{uk_date(stage.acknowledged)}" + (" (late)" if stage.acknowledged > stage.acknowledge_due else "")
                   if stage.acknowledged else "not yet")
            rows.append(("Acknowledge by", uk_date(stage.acknowledge_due)))
            rows.append(("Acknowledged", ack))
            rows.append(("Respond by", uk_date(stage.respond_due)))
            if stage.responded:
                late = " (late)" if stage.responded > stage.respond_due else ""
                rows.append(("Responded", f"{uk_date(stage.responded)}{late}"))
                rows.append(("Decision", DECISIONS.get(stage.decision or "", stage.decision or "—")))
            elif case.is_open and stage is case.current_stage and stage.respond_due < today:
                rows.append(("Response", "<b>overdue</b>"))
            for ext in stage.extensions:
                good = ", good reason recorded" if ext["good_reason"] else ""
                rows.append(("Extension", f"{plural(ext['working_days'], 'working day')} agreed "
                                          f"{uk_date(ext['agreed_on'])}{good}: {html.escape(ext['reason'])}"))
            body = "".join(f"<tr><td class='k'>{html.escape(k)}</td><td>{v if '<b>' in v else html.escape(v)}</td></tr>"
                           for k, v in rows)
            heading = "Stage 1" if number == 1 else "Stage 2 (final response)"
            parts.append(f"<h3>{heading}</h3><table cellspacing='0' cellpadding='3'>{body}</table>")
            if stage.reasons:
                parts.append(f"<p><b>Reasons:</b> {html.escape(stage.reasons)}</p>")
        f = case.fields
        if case.status == "refused":
            reason = REFUSAL_REASONS.get(f.get("refusal_reason") or "", f.get("refusal_reason") or "")
            parts.append(f"<h3>Not accepted</h3><p>{uk_date(f.get('refused_on'))}: {html.escape(reason)}.<br>"
                         f"{html.escape(f.get('refusal_explanation') or '')}</p>")
        if case.status == "withdrawn":
            parts.append(f"<h3>Withdrawn</h3><p>{uk_date(f.get('withdrawn_on'))}. "
                         f"{html.escape(f.get('withdrawn_reason') or '')}</p>")
        if f.get("closed_on"):
            parts.append(f"<h3>Closed</h3><p>{uk_date(f.get('closed_on'))}</p>")
        style = "<style>td.k{color:#444;padding-right:14px;} h3{margin-top:10px;margin-bottom:4px;}</style>"
        return style + "".join(parts)

    def _timeline_entries(self, case: Case) -> list[dict]:
        """History (grouped into one line per change), correspondence and letters, newest first."""
        entries: list[dict] = []
        groups: dict[tuple, list[dict]] = {}
        for row in self.ctx.store.history_rows(case.id):
            groups.setdefault((row["at"], row["entity"], row["action"], row["who"]), []).append(row)
        moments_with_actions = {key[0] for key in groups if key[2] != "status"}
        action_names = {f"action {a['id']}": f"action ‘{a['description']}’" for a in case.actions}
        action_names.update({f"remedy {r['id']}": f"remedy ‘{r['description'] or REMEDY_KINDS.get(r['kind'], r['kind'])}’"
                             for r in case.remedies})
        for (at, entity, action, who), rows in groups.items():
            if action == "status" and at in moments_with_actions:
                continue  # the action on the same line says it
            if action == "added" and entity in CORRESPONDENCE_KINDS:
                continue  # shown once, on the day it happened, from the correspondence below
            what = self._describe(entity, action)
            parts = []
            for r in rows:
                if not r["field"]:
                    continue
                name = action_names.get(r["field"], r["field"].replace("_", " "))
                if r["old"] is not None:
                    parts.append(f"{name}: {_show_value(r['old'])} → {_show_value(r['new'])}")
                else:
                    parts.append(f"{name}: {_show_value(r['new'])}")
            detail = "; ".join(parts)
            entries.append({"sort": (at, min(r["id"] for r in rows)), "date": uk_datetime(at), "what": what,
                            "detail": detail, "who": who})
        for row in case.correspondence:
            kind = row["kind"] or "note"
            direction = "from the resident" if row["direction"] == "in" else "from us"
            label = {"attachment": "File attached", "letter": "Letter", "note": "Note"}.get(kind, kind.capitalize())
            if kind not in ("attachment", "note"):
                label = f"{label} {direction}"
            detail = row["summary"] + (f" ({Path(row['path']).name})" if row.get("path") and kind != "attachment" else "")
            entries.append({"sort": (f"{row['on_date']}T99", row["id"]), "date": uk_date(row["on_date"]),
                            "what": label, "detail": detail, "who": "", "path": row.get("path")})
        letters = getattr(self.ctx.store, "letter_rows", None)
        if callable(letters):
            try:
                for row in letters(case.id):
                    on = row.get("sent_on") or row.get("created_at") or row.get("on_date") or ""
                    entries.append({"sort": (str(on), 0), "date": uk_datetime(on) if "T" in str(on) else uk_date(on),
                                    "what": "Letter", "detail": str(row.get("kind") or row.get("title") or ""),
                                    "who": str(row.get("who") or "")})
            except Exception:  # noqa: BLE001 - another module's table; the timeline still shows the rest
                pass
        entries.sort(key=lambda e: e["sort"], reverse=True)
        return entries

    @staticmethod
    def _describe(entity: str, action: str) -> str:
        stage = entity.replace("stage", "Stage ") if entity.startswith("stage") else ""
        known = {
            ("case", "opened"): "Complaint recorded",
            ("case", "edited"): "Details edited",
            ("case", "refused"): "Not accepted",
            ("case", "withdrawn"): "Withdrawn",
            ("case", "closed"): "Closed",
            ("case", "status"): "Status changed",
            ("remedy", "added"): "Remedy added",
            ("remedy", "done"): "Remedy done",
            ("action", "added"): "Outstanding action added",
            ("action", "done"): "Action done",
        }
        if (entity, action) in known:
            return known[(entity, action)]
        if stage:
            verbs = {"acknowledged": "acknowledged", "extended": "extended", "responded": "response sent",
                     "escalated": "opened (escalated)", "handler": "handler changed"}
            return f"{stage} {verbs.get(action, action)}"
        return f"{entity.capitalize()} {action}"

    def _show_timeline(self, case: Case) -> None:
        self.timeline.clear()
        for entry in self._timeline_entries(case):
            item = QTreeWidgetItem([entry["date"], entry["what"], entry["detail"], entry["who"]])
            item.setToolTip(2, entry["detail"])
            if entry.get("path"):
                item.setData(0, ID_ROLE, entry["path"])
                item.setToolTip(1, "Double-click to open the file")
            self.timeline.addTopLevelItem(item)

    def _show_attachments(self, case: Case) -> None:
        self.attachments.clear()
        for row in reversed(case.correspondence):
            if row["kind"] != "attachment" and not row.get("path"):
                continue  # letters sent are files too
            item = QTreeWidgetItem([uk_date(row["on_date"]), Path(row["path"] or "").name, row["summary"]])
            item.setData(0, ID_ROLE, row["path"])
            self.attachments.addTopLevelItem(item)

    def _show_remedies(self, case: Case, today: dt.date) -> None:
        self.remedies.clear()
        for r in case.remedies:
            due = as_date(r["due"])
            late = not r["done"] and due is not None and due < today
            item = QTreeWidgetItem([
                str(r["stage"]), REMEDY_KINDS.get(r["kind"], r["kind"]), r["description"], money(r["amount_pence"]),
                f"Overdue · {uk_date(due)}" if late else uk_date(due) if due else "no date",
                uk_date(r["done"]) if r["done"] else "not yet"])
            item.setData(0, ID_ROLE, r["id"])
            item.setData(1, ID_ROLE, bool(r["done"]))
            item.setToolTip(1, item.text(1))
            item.setToolTip(2, r["description"])
            if late:
                item.setForeground(4, QBrush(OVERDUE_COLOUR))
            self.remedies.addTopLevelItem(item)
        self.actions_tree.clear()
        for a in case.actions:
            due = as_date(a["due"])
            late = not a["done"] and due is not None and due < today
            item = QTreeWidgetItem([str(a["stage"]), a["description"], a["owner"],
                                    f"Overdue · {uk_date(due)}" if late else uk_date(due),
                                    uk_date(a["done"]) if a["done"] else "not yet"])
            item.setData(0, ID_ROLE, a["id"])
            item.setData(1, ID_ROLE, bool(a["done"]))
            item.setToolTip(1, a["description"])
            if late:
                item.setForeground(3, QBrush(OVERDUE_COLOUR))
            self.actions_tree.addTopLevelItem(item)
        self._update_done_buttons()

    def _update_done_buttons(self, *_: object) -> None:
        """Mark done only applies to a chosen row not yet done; Open only to a chosen file."""
        for tree, button in ((self.actions_tree, self.mark_done_button), (self.remedies, self.remedy_done_button)):
            item = tree.currentItem()
            button.setEnabled(item is not None and not item.data(1, ID_ROLE))
        self.open_attachment_button.setEnabled(self.attachments.currentItem() is not None)

    # --- the details form ----------------------------------------------

    def _populate_form(self, case: Case) -> None:
        self._populating = True
        try:
            for name, widget in self.fields.items():
                value = case.fields.get(name)
                if name in HANDLER_FIELDS:
                    stage = case.stages.get(HANDLER_FIELDS[name])
                    value = stage.handler if stage else ""
                if isinstance(widget, QLineEdit):
                    widget.setText(value or "")
                elif isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(value or "")
                elif isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
                elif isinstance(widget, OptionalDateEdit):
                    widget.set_value(value)
                elif isinstance(widget, QComboBox):
                    value = value or ""
                    index = widget.findData(value)
                    if index < 0 and value:
                        widget.addItem(value.capitalize() if name not in ("category", *HANDLER_FIELDS) else value, value)
                        index = widget.findData(value)
                    widget.setCurrentIndex(max(index, 0))
            self._baseline = self.form_values()
        finally:
            self._populating = False
        self._update_dirty()

    def form_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                out[name] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
            elif isinstance(widget, QCheckBox):
                out[name] = int(widget.isChecked())
            elif isinstance(widget, OptionalDateEdit):
                day = widget.value()
                out[name] = day.isoformat() if day else None
            elif isinstance(widget, QComboBox):
                text = widget.currentText().strip()
                data = widget.currentData()
                out[name] = data if data is not None and widget.itemText(widget.currentIndex()) == text else text
        return out

    def changes(self) -> dict[str, Any]:
        """The edited fields not yet saved (a stage not yet opened has no handler to change)."""
        current = self.form_values()
        return {k: v for k, v in current.items() if v != self._baseline.get(k)
                and not (k in HANDLER_FIELDS and HANDLER_FIELDS[k] not in self.case.stages)}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def _on_edited(self, *_: object) -> None:
        if not self._populating:
            self._update_dirty()

    def _update_dirty(self) -> None:
        changed = self.changes() if self._baseline else {}
        self.save_button.setEnabled(bool(changed))
        self.revert_button.setEnabled(bool(changed))
        self.unsaved_label.setText(f"Unsaved changes: {', '.join(k.replace('_', ' ') for k in changed)}" if changed else "")
        self.setWindowModified(bool(changed))

    def save(self) -> bool:
        """Save the edited details through the core; a problem is shown here and nothing is lost."""
        changed = self.changes()
        if not changed:
            return True
        self.save_error.clear_error()
        try:
            case = self.ctx.service.update(self.reference, changed)
        except HoscaseError as exc:
            self.save_error.show_error(str(exc))
            return False
        self.populate(case, form_too=True)
        self._set_status_message("Changes saved")
        self.ctx.cases_changed.emit()
        return True

    def _on_revert(self) -> None:
        self.save_error.clear_error()
        self._populate_form(self.case)

    # --- actions -------------------------------------------------------

    def reload(self) -> None:
        try:
            case = self.ctx.service.get(self.reference)
        except HoscaseError:
            return  # deleted elsewhere; the window keeps what it showed
        self.populate(case, form_too=not self.is_dirty())

    def _on_cases_changed(self) -> None:
        self.reload()

    def _run_dialog(self, dialog) -> None:
        value, accepted = dialog.open_for_case(self.ctx, self.reference, self)
        if accepted:
            self.reload()
            self._set_status_message(f"{dialog.save_text}: done")

    def _on_mark_done(self) -> None:
        item = self.actions_tree.currentItem()
        if item is None:
            QMessageBox.information(self, "Mark done", "Choose the action that has been done first.")
            return
        action_id = item.data(0, ID_ROLE)
        try:
            self.ctx.service.complete_action(self.reference, action_id, self.ctx.today)
        except HoscaseError as exc:
            QMessageBox.warning(self, "Mark done", str(exc))
            return
        self.ctx.cases_changed.emit()
        self._set_status_message(f"Action done {uk_date(self.ctx.today)}")

    def _on_remedy_done(self) -> None:
        item = self.remedies.currentItem()
        if item is None:
            QMessageBox.information(self, "Mark remedy done", "Choose the remedy that has been carried out first.")
            return
        try:
            self.ctx.service.complete_remedy(self.reference, item.data(0, ID_ROLE), self.ctx.today)
        except HoscaseError as exc:
            QMessageBox.warning(self, "Mark remedy done", str(exc))
            return
        self.ctx.cases_changed.emit()
        self._set_status_message(f"Remedy done {uk_date(self.ctx.today)}")

    def attachments_folder(self) -> Path:
        return Path(self.ctx.data_folder) / "attachments" / _safe_folder_name(self.reference)

    def attach_file(self, source: Path, summary: str = "") -> Path:
        """Copy ``source`` into the case's attachments folder and record it on the timeline."""
        source = Path(source)
        if not source.is_file():
            raise HoscaseError(f"{source} is not a file")
        folder = self.attachments_folder()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        number = 2
        while target.exists():
            target = folder / f"{source.stem} ({number}){source.suffix}"
            number += 1
        shutil.copy2(source, target)
        try:
            relative = target.relative_to(Path(self.ctx.data_folder))
        except ValueError:
            relative = target
        try:
            self.ctx.service.add_correspondence(self.reference, self.ctx.today, summary or f"Attached {source.name}",
                                                direction="in", kind="attachment", path=relative.as_posix())
        except HoscaseError:
            target.unlink(missing_ok=True)
            raise
        self.ctx.cases_changed.emit()
        return target

    def _on_add_attachment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Attach a file to {self.reference}")
        if not path:
            return
        try:
            self.attach_file(Path(path))
        except (HoscaseError, OSError) as exc:
            QMessageBox.warning(self, "Attach a file", f"The file was not attached: {exc}")

    def attachment_path(self, stored: str) -> Path:
        path = Path(stored)
        return path if path.is_absolute() else Path(self.ctx.data_folder) / path

    def _on_timeline_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if item.data(0, ID_ROLE):
            self._open_file(item.data(0, ID_ROLE))

    def _on_open_attachment(self) -> None:
        item = self.attachments.currentItem()
        if item is None:
            return
        self._open_file(item.data(0, ID_ROLE) or "")

    def _open_file(self, stored: str) -> None:
        """Open a file kept in the data folder with the system's viewer."""
        path = self.attachment_path(stored)
        if not path.is_file():
            QMessageBox.warning(self, "Open attachment", f"The file is no longer at {path}.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_letter(self, kind: str) -> None:
        module = letter_module()
        if module is None:
            return
        try:
            _path, accepted = module.LetterPreviewDialog.open_for_case(self.ctx, self.reference, kind, self)
        except HoscaseError as exc:
            QMessageBox.warning(self, "Letter", str(exc))
            return
        if accepted:
            self.ctx.cases_changed.emit()

    def _set_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000)

    # --- closing -------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.is_dirty():
            answer = QMessageBox.question(
                self, f"{self.reference}: unsaved changes",
                f"Save the changes to {self.reference} before closing?",
                QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save,
            )
            if answer == QMessageBox.Cancel or (answer == QMessageBox.Save and not self.save()):
                event.ignore()
                return
        if self.settings is not None:
            self.settings.setValue("case_window/geometry", self.saveGeometry())
        try:
            self.ctx.cases_changed.disconnect(self._on_cases_changed)
        except (RuntimeError, TypeError):
            pass
        self.closed.emit(self.reference)
        event.accept()
