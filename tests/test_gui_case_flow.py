"""The officer's day in the desktop app, driven through the real widgets: record a complaint, acknowledge,
extend, respond, escalate (and be refused the same handler), find it in the register, and see it leave
the work list once nothing is due."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_support import drive_modal
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hoscase.gui.format import uk_date

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def ctx(store, tmp_path):
    from hoscase.gui.context import AppContext

    with store.transaction():
        for name in ("Priya Shah", "Grace Okafor", "Tom Evans"):
            store.put_handler(name)
        for name in ("Repairs", "Damp and mould"):
            store.put_category(name)
    context = AppContext(store, today=TODAY, data_folder=tmp_path / "data")
    context.service.who = "Test Officer"
    return context


@pytest.fixture
def window(qtbot, ctx, tmp_path):
    from hoscase.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for case_window in list(w.case_windows.values()):
        case_window.close()


def _fill_new_case(dialog) -> None:
    qtbot_keys = QtKeys()
    # Saving with nothing typed is refused inline; the dialog stays open and nothing is written.
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.error.isVisible() and "resident name is required" in dialog.error.text().lower()
    qtbot_keys.type(dialog.resident_name, "Siobhan O'Brien")  # QTest types ASCII only
    qtbot_keys.type(dialog.address, "4 Mill Terrace, Ludlow")
    dialog.received.setDate(QDate(2026, 11, 2))
    assert "Acknowledge by 9 Nov 2026" in dialog.info.text()
    qtbot_keys.type(dialog.category.lineEdit(), "Repairs")
    dialog.handler.setCurrentIndex(dialog.handler.findText("Priya Shah"))
    qtbot_keys.type(dialog.definition, "Kitchen tap leaking for six weeks")
    dialog.ok_button.click()


class QtKeys:
    """Typing into widgets as the user does (key events, not setText)."""

    def type(self, widget, text: str) -> None:
        widget.setFocus()
        QTest.keyClicks(widget, text)


def _button(case_window, action: str):
    return case_window.buttons[action]


def test_a_complaint_from_start_to_finish(qtbot, window, ctx):
    service = ctx.service
    service.add_case(resident_name="Ann Example", address="1 Church Close", received="2026-11-10", channel="phone",
                     category="Repairs", definition="Door entry broken", handler="Tom Evans")

    # Ctrl+N opens the new-case dialog; a first save with empty fields shows the core's message inline.
    window.activateWindow()
    drive_modal(lambda: qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier), _fill_new_case)
    assert ctx.store.count_cases() == 2
    reference = next(r for r in window.case_windows)
    case = service.get(reference)
    assert case.resident_name == "Siobhan O'Brien" and case.stages[1].handler == "Priya Shah"
    case_window = window.case_windows[reference]

    # The work list shows it as overdue for acknowledgement (due 9 Nov, today 20 Nov).
    worklist = window.show_page("worklist")
    assert reference in worklist.references("overdue")
    assert _button(case_window, "acknowledge").isEnabled()
    assert not _button(case_window, "escalate").isEnabled()

    # Acknowledge on 5 Nov: the dialog shows the response due date before saving.
    def acknowledge(dialog):
        dialog.on.setDate(QDate(2026, 11, 5))
        expected = service.calendar.add(dt.date(2026, 11, 5), 10)
        assert f"response due by {uk_date(expected)}" in dialog.info.text()
        dialog.ok_button.click()

    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "acknowledge"), Qt.LeftButton), acknowledge)
    assert service.get(reference).status == "stage1-awaiting-response"
    assert not _button(case_window, "acknowledge").isEnabled()

    # Extend: too long without a good reason is refused inline; 5 working days is saved and shown live.
    def extend(dialog):
        dialog.days.selectAll()
        QtKeys().type(dialog.days, "15")
        QtKeys().type(dialog.reason, "Awaiting the surveyor's report")
        dialog.ok_button.click()
        assert dialog.isVisible() and "at most 10 working days" in dialog.error.text()
        assert service.get(reference).stages[1].extensions == []
        dialog.days.selectAll()
        QtKeys().type(dialog.days, "5")
        expected = service.calendar.add(dt.date(2026, 11, 5), 15)
        assert f"due by {uk_date(expected)}" in dialog.info.text()
        dialog.ok_button.click()

    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "extend"), Qt.LeftButton), extend)
    stage1 = service.get(reference).stages[1]
    assert stage1.extension_working_days == 5
    assert stage1.respond_due == service.calendar.add(dt.date(2026, 11, 5), 15)

    # Respond with a decision, reasons and an outstanding action due next week.
    def respond(dialog):
        dialog.on.setDate(QDate(2026, 11, 19))
        dialog.ok_button.click()
        assert dialog.isVisible() and "decision must be one of" in dialog.error.text().lower()
        dialog.decision.setCurrentIndex(dialog.decision.findData("partly-upheld"))
        QtKeys().type(dialog.reasons, "The appointments were missed because of our scheduling error.")
        qtbot.mouseClick(dialog.actions.add_button, Qt.LeftButton)
        description, owner, due = dialog.actions.widgets(0)
        QtKeys().type(description, "Replace the kitchen tap")
        due.setDate(QDate(2026, 11, 24))
        assert "first due 24 Nov 2026" in dialog.info.text()
        dialog.ok_button.click()

    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "respond"), Qt.LeftButton), respond)
    case = service.get(reference)
    assert case.status == "stage1-responded" and case.stages[1].decision == "partly-upheld"
    assert [a["description"] for a in case.actions] == ["Replace the kitchen tap"]
    worklist = window.show_page("worklist")
    assert reference not in worklist.references("overdue") + worklist.references("today") + worklist.references("soon")
    assert reference in worklist.references("actions")

    # Escalate: the stage 1 handler is refused with the Code's reason, shown in the dialog; another is accepted.
    def escalate(dialog):
        dialog.on.setDate(QDate(2026, 11, 20))
        dialog.handler.setCurrentIndex(dialog.handler.findData("Priya Shah"))
        dialog.ok_button.click()
        assert dialog.isVisible()
        assert "must not be the person who handled stage 1" in dialog.error.text()
        assert "6.13" in dialog.error.text()
        assert 2 not in service.get(reference).stages
        dialog.handler.setCurrentIndex(dialog.handler.findData("Grace Okafor"))
        dialog.ok_button.click()

    assert _button(case_window, "escalate").isEnabled()
    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "escalate"), Qt.LeftButton), escalate)
    case = service.get(reference)
    assert case.status == "stage2-awaiting-acknowledgement" and case.stages[2].handler == "Grace Okafor"
    timeline = [(case_window.timeline.topLevelItem(i).text(1), case_window.timeline.topLevelItem(i).text(2))
                for i in range(case_window.timeline.topLevelItemCount())]
    assert any(what == "Stage 2 opened (escalated)" and "Grace Okafor" in detail for what, detail in timeline)
    assert timeline[-1][0] == "Complaint recorded"  # newest first

    # Find it in the register by typing (Ctrl+F in the main window puts the cursor in the search box).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    cases = window.pages["cases"]
    assert window.current_page_key() == "cases"
    assert QApplication.focusWidget() is cases.search
    qtbot.keyClicks(cases.search, "siobh")
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1, timeout=2000)
    assert cases.model.reference_at(0) == reference
    assert cases.count_label.text().startswith("1 of 2")
    cases.search.clear()
    qtbot.keyClicks(cases.search, "door entry")
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1 and cases.model.reference_at(0) != reference, timeout=2000)

    # Finish stage 2 and the action: the case leaves the work list.
    def acknowledge2(dialog):
        dialog.ok_button.click()

    def respond2(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("upheld"))
        QtKeys().type(dialog.reasons, "Having reviewed everything afresh, we uphold the complaint.")
        dialog.ok_button.click()

    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "acknowledge"), Qt.LeftButton), acknowledge2)
    due2 = service.calendar.add(TODAY, 20)
    assert f"Next: respond (stage 2) by {uk_date(due2)}" in case_window.next_step_label.text()
    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "respond"), Qt.LeftButton), respond2)
    case_window.tabs.setCurrentIndex(4)
    case_window.actions_tree.setCurrentItem(case_window.actions_tree.topLevelItem(0))
    qtbot.mouseClick(case_window.findChild(type(_button(case_window, "respond")), "markDoneButton"), Qt.LeftButton)
    case = service.get(reference)
    assert case.status == "stage2-responded" and case.actions[0]["done"] == TODAY.isoformat()
    worklist = window.show_page("worklist")
    assert all(reference not in worklist.references(group)
               for group in ("overdue", "today", "soon", "actions", "adjustments"))


def test_case_window_keeps_unsaved_edits_until_the_officer_decides(qtbot, window, ctx, new_case):
    reference = new_case().reference
    ctx.cases_changed.emit()
    case_window = window.open_case(reference)
    assert window.open_case(reference.lower()) is case_window  # one window per case, raised again
    name = case_window.fields["resident_name"]
    name.selectAll()
    qtbot.keyClicks(name, "Ann Changed")
    assert case_window.save_button.isEnabled() and "resident name" in case_window.unsaved_label.text()

    # A change made elsewhere (another window) does not overwrite what is being typed.
    ctx.service.add_correspondence(reference, TODAY, "Phoned the resident")
    ctx.cases_changed.emit()
    assert name.text() == "Ann Changed"

    def press(label):
        def fill(box):
            button = next(b for b in box.buttons() if b.text().replace("&", "") == label)
            button.click()
        return fill

    drive_modal(case_window.close, press("Cancel"))
    assert case_window.isVisible() and name.text() == "Ann Changed"
    assert ctx.service.get(reference).resident_name == "Ann Example"
    drive_modal(case_window.close, press("Save"))
    assert ctx.service.get(reference).resident_name == "Ann Changed"
    assert reference not in window.case_windows

    # Discard really discards; an empty required field is refused inline and nothing is saved.
    case_window = window.open_case(reference)
    case_window.fields["resident_name"].clear()
    qtbot.mouseClick(case_window.save_button, Qt.LeftButton)
    assert case_window.save_error.isVisible() and "required" in case_window.save_error.text()
    assert ctx.service.get(reference).resident_name == "Ann Changed"
    drive_modal(case_window.close, press("Discard"))
    assert ctx.service.get(reference).resident_name == "Ann Changed"


def test_attachments_are_copied_into_the_data_folder(qtbot, window, ctx, new_case, tmp_path, monkeypatch):
    reference = new_case().reference
    case_window = window.open_case(reference)
    source = tmp_path / "photo of mould.jpg"
    source.write_bytes(b"not really a jpeg")
    copied = case_window.attach_file(source)
    again = case_window.attach_file(source)
    assert copied.parent == ctx.data_folder / "attachments" / reference
    assert copied.read_bytes() == b"not really a jpeg" and again.name == "photo of mould (2).jpg"
    rows = [c for c in ctx.service.get(reference).correspondence if c["kind"] == "attachment"]
    assert [r["path"] for r in rows] == [f"attachments/{reference}/photo of mould.jpg",
                                         f"attachments/{reference}/photo of mould (2).jpg"]
    assert case_window.attachments.topLevelItemCount() == 2
    opened = []
    monkeypatch.setattr("hoscase.gui.case_window.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    case_window.attachments.setCurrentItem(case_window.attachments.topLevelItem(1))
    case_window._on_open_attachment()
    assert opened == [str(copied)]


def test_stage_buttons_follow_allowed_actions(qtbot, window, ctx, new_case):
    case = new_case()
    ctx.service.acknowledge(case.reference, "2026-10-02")
    ctx.service.respond(case.reference, "2026-10-10", "upheld", "Fixed.")
    case_window = window.open_case(case.reference)
    allowed = ctx.service.get(case.reference).allowed_actions()
    assert allowed == {"escalate", "close"}
    assert {a for a, b in case_window.buttons.items() if b.isEnabled()} == allowed
    assert "Stage 1 response sent" in case_window.next_step_label.text()


def test_remedies_are_added_and_marked_done_from_the_case_window(qtbot, window, ctx, new_case):
    case = new_case()
    ctx.service.acknowledge(case.reference, "2026-10-02")
    ctx.service.respond(case.reference, "2026-10-10", "upheld", "Fixed.", remedies=[{"kind": "apology"}])
    case_window = window.open_case(case.reference)
    done_button = case_window.remedy_done_button
    assert not done_button.isEnabled()  # nothing chosen yet

    def add(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("compensation"))
        dialog.due.set_value(dt.date(2026, 11, 24))
        assert "by 24 Nov 2026" in dialog.info.text() and "needs the amount" in dialog.info.text()
        dialog.ok_button.click()
        assert dialog.isVisible() and "needs an amount" in dialog.error.text()
        assert len(ctx.service.get(case.reference).remedies) == 1
        QtKeys().type(dialog.amount, "120")
        QtKeys().type(dialog.description, "Paid to the rent account")
        dialog.ok_button.click()

    add_button = case_window.findChild(type(done_button), "addRemedyButton")
    drive_modal(lambda: qtbot.mouseClick(add_button, Qt.LeftButton), add)
    remedies = ctx.service.get(case.reference).remedies
    assert (remedies[1]["amount_pence"], remedies[1]["due"]) == (12000, "2026-11-24")
    tree = case_window.remedies
    assert tree.topLevelItem(1).text(4) == "24 Nov 2026" and tree.topLevelItem(1).text(5) == "not yet"

    # The dated remedy is on the work list until it is done.
    assert case.reference in window.show_page("worklist").references("actions")
    tree.setCurrentItem(tree.topLevelItem(1))
    assert done_button.isEnabled()
    qtbot.mouseClick(done_button, Qt.LeftButton)
    assert ctx.service.get(case.reference).remedies[1]["done"] == TODAY.isoformat()
    assert case_window.remedies.topLevelItem(1).text(5) == uk_date(TODAY)
    case_window.remedies.setCurrentItem(case_window.remedies.topLevelItem(1))
    assert not done_button.isEnabled()  # already done
    assert case.reference not in window.show_page("worklist").references("actions")
    timeline = [case_window.timeline.topLevelItem(i).text(1) for i in range(case_window.timeline.topLevelItemCount())]
    assert "Remedy done" in timeline and "Remedy added" in timeline


def test_respond_dialog_records_when_each_remedy_will_be_done(qtbot, window, ctx, new_case):
    case = new_case()
    ctx.service.acknowledge(case.reference, "2026-10-02")
    case_window = window.open_case(case.reference)

    def respond(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("upheld"))
        QtKeys().type(dialog.reasons, "We were wrong.")
        qtbot.mouseClick(dialog.remedies.add_button, Qt.LeftButton)
        kind, amount, description, due = dialog.remedies.widgets(0)
        kind.setCurrentIndex(kind.findData("action"))
        QtKeys().type(description, "New kitchen tap fitted")
        due.set_value(dt.date(2026, 12, 4))
        assert "1 dated remedy goes on the work list, the first due 4 Dec 2026" in dialog.info.text()
        dialog.ok_button.click()

    drive_modal(lambda: qtbot.mouseClick(_button(case_window, "respond"), Qt.LeftButton), respond)
    remedy = ctx.service.get(case.reference).remedies[0]
    assert (remedy["kind"], remedy["description"], remedy["due"]) == ("action", "New kitchen tap fitted", "2026-12-04")


def test_handlers_and_the_ombudsman_are_edited_in_the_details(qtbot, window, ctx, new_case):
    case = new_case()
    ctx.service.acknowledge(case.reference, "2026-10-02")
    ctx.service.respond(case.reference, "2026-10-10", "upheld", "Fixed.")
    case_window = window.open_case(case.reference)
    stage1, stage2 = case_window.fields["stage1_handler"], case_window.fields["stage2_handler"]
    assert stage1.currentText() == "Priya Shah" and stage2.isHidden()  # no stage 2 yet
    ctx.service.escalate(case.reference, "2026-10-20", "Grace Okafor")
    ctx.cases_changed.emit()
    assert not stage2.isHidden() and stage2.currentText() == "Grace Okafor"

    # The same person at both stages is refused at Save (6.13); nothing is saved and the edit stays.
    stage1.setCurrentIndex(stage1.findData("Grace Okafor"))
    assert "stage1 handler" in case_window.unsaved_label.text()
    qtbot.mouseClick(case_window.save_button, Qt.LeftButton)
    assert "6.13" in case_window.save_error.text()
    assert ctx.service.get(case.reference).stages[1].handler == "Priya Shah"
    stage1.setCurrentIndex(stage1.findData("Tom Evans"))
    case_window.fields["ombudsman_referred_on"].set_value(dt.date(2026, 10, 30))
    case_window.fields["ombudsman_determined_on"].set_value(dt.date(2026, 11, 10))
    finding = case_window.fields["ombudsman_finding"]
    finding.setCurrentIndex(finding.findData("maladministration"))
    case_window.fields["ombudsman_orders_due"].set_value(dt.date(2026, 11, 17))
    qtbot.mouseClick(case_window.save_button, Qt.LeftButton)
    saved = ctx.service.get(case.reference)
    assert saved.stages[1].handler == "Tom Evans" and saved.ombudsman_determined_on == "2026-11-10"
    assert "overdue since 17 Nov 2026" in case_window.compliance_label.text()
    case_window.fields["ombudsman_orders_complied_on"].set_value(dt.date(2026, 11, 16))
    assert case_window.save()
    assert case_window.compliance_label.text().startswith("Complied on time")


def test_every_field_of_the_record_is_editable_and_labelled(qtbot, window, ctx, new_case):
    from PySide6.QtWidgets import QFormLayout, QLabel

    case_window = window.open_case(new_case().reference)
    wanted = {"resident_name", "address", "phone", "email", "preferred_contact", "representative_name",
              "representative_contact", "property", "channel", "category", "definition", "outcome_sought",
              "not_responsible", "stage1_handler", "vulnerabilities", "adjustments", "adjustments_review",
              "ombudsman_referred_on", "ombudsman_determined_on", "ombudsman_finding", "ombudsman_orders",
              "ombudsman_orders_due", "ombudsman_orders_complied_on", "learning"}
    assert wanted <= set(case_window.fields)
    for name, widget in case_window.fields.items():
        assert widget.isEnabled(), name
        assert widget.accessibleName(), name
        form = widget.parentWidget().layout()
        if isinstance(form, QFormLayout) and form.indexOf(widget) >= 0:
            label = form.labelForField(widget)
            assert isinstance(label, QLabel) and (label.text() or name in ("large_print", "discretion_over_12_months",
                                                                           "legal_hold")), name


def test_letters_sent_open_from_the_timeline(qtbot, window, ctx, new_case, monkeypatch):
    case = new_case()
    pdf = ctx.data_folder / "letters" / case.reference / "ack.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4")
    ctx.service.add_correspondence(case.reference, TODAY, "Stage 1 acknowledgement letter sent", kind="letter",
                                   path=f"letters/{case.reference}/ack.pdf")
    case_window = window.open_case(case.reference)
    opened = []
    monkeypatch.setattr("hoscase.gui.case_window.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    item = next(case_window.timeline.topLevelItem(i) for i in range(case_window.timeline.topLevelItemCount())
                if case_window.timeline.topLevelItem(i).text(1) == "Letter from us")
    case_window._on_timeline_activated(item)
    assert opened == [str(pdf)]
    assert case_window.attachments.topLevelItemCount() == 1  # the letter is listed with the files
    assert not case_window.open_attachment_button.isEnabled()
    case_window.attachments.setCurrentItem(case_window.attachments.topLevelItem(0))
    assert case_window.open_attachment_button.isEnabled()
