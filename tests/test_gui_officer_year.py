"""A complaints officer's first year with hoscase at a 40-home almshouse charity (January to December), driven
entirely through the desktop app's real widgets: setup, settings, complaints from receipt to the Ombudsman,
letters, the calendar, the work list, the annual report, and a backup restored."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from gui_support import drive_modal
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtTest import QTest

SHOTS = Path(os.environ.get("HOSCASE_SHOTS", "")) if os.environ.get("HOSCASE_SHOTS") else None
OFFICER, CLERK = "Rachel Green", "Margaret Hughes"


def shot(widget, name: str) -> None:
    """Grab the window for a look (set HOSCASE_SHOTS to a folder to keep them)."""
    image = widget.grab()
    assert not image.isNull()
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        image.save(str(SHOTS / f"{name}.png"))


def type_into(widget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def set_today(ctx, day: dt.date) -> None:
    """The officer's clock: the year passes between the steps."""
    ctx.service._today = day
    ctx._fixed_today = day


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def qd(text: str) -> QDate:
    day = d(text)
    return QDate(day.year, day.month, day.day)


@pytest.fixture
def ctx(store, tmp_path):
    from hoscase.gui.context import AppContext

    context = AppContext(store, today=d("2026-01-05"), data_folder=tmp_path / "data")
    context.service.who = OFFICER
    return context


def _first_run(qtbot, ctx):
    from hoscase.first_run import needs_first_run
    from hoscase.gui.dialogs.first_run import FirstRunWizard

    assert needs_first_run(ctx.store)

    def fill(wizard):
        wizard.next()
        page = wizard.organisation_page
        type_into(page.name, "St Laurence's Almshouses")
        page.address.setPlainText("The Almshouse Office\nCorve Street\nLudlow SY8 1DA")
        page.homes.setValue(40)
        wizard.next()
        contact = wizard.contact_page
        type_into(contact.signatory, CLERK)
        type_into(contact.signatory_role, "Clerk to the Trustees")
        type_into(contact.phone, "01584 873 000")
        type_into(contact.email, "complaints@stlaurence.org.uk")
        wizard.next()
        handlers = wizard.handlers_page
        handlers.add_handler(OFFICER, "Complaints officer")
        wizard.next()
        assert wizard.currentPage() is wizard.year_page, wizard.currentPage().error.text()
        wizard.year_page.month.setCurrentIndex(wizard.year_page.month.findText("January"))
        wizard.next()
        summary = wizard.summary_page.summary.text()
        assert "1 January" in summary and "40" in summary
        shot(wizard, "01-first-run-summary")
        wizard.button(wizard.WizardButton.FinishButton).click()

    drive_modal(lambda: FirstRunWizard.run(ctx), fill)
    org = ctx.store.get_setting("organisation")
    assert org["financial_year_start_month"] == 1 and org["homes"] == 40
    assert {h["name"] for h in ctx.store.handlers()} == {OFFICER, CLERK}


def test_an_officers_first_year(qtbot, ctx, tmp_path):
    from hoscase.gui.main_window import MainWindow

    _first_run(qtbot, ctx)
    window = MainWindow(ctx, QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    service = ctx.service

    # --- Settings: Christmas closure days and the Ombudsman's details -------------------------------------
    settings = window.show_page("settings")
    for day, why in (("2026-12-24", "Office closed for Christmas"), ("2026-12-29", "Office closed for Christmas"),
                     ("2026-12-30", "Office closed for Christmas"), ("2026-12-31", "Office closed for Christmas")):
        settings.closure_date.setDate(qd(day))
        type_into(settings.closure_name, why)
        settings.add_closure_button.click()
        assert "every open deadline has moved" in settings.closure_message.text(), settings.closure_message.text()
    settings.closure_date.setDate(qd("2026-12-25"))
    settings.add_closure_button.click()
    assert "already not a working day" in settings.closure_message.text()
    assert "Christmas Day" in settings.closure_message.text()
    omb = settings.ombudsman_values()
    assert "Housing Ombudsman" in omb["name"] and omb["phone"] and omb["website"]
    settings.omb_fields["phone"].selectAll()
    type_into(settings.omb_fields["phone"], "0300 111 3000")
    assert settings.save(), settings.message.text()
    assert ctx.store.get_setting("ombudsman")["phone"] == "0300 111 3000"
    shot(window, "02-settings")

    # --- February: a service request, later raised to a complaint (Code 1.4, 1.5) ---------------------------
    window.resize(1280, 800)
    set_today(ctx, d("2026-02-02"))
    requests = window.show_page("service_requests")

    def new_request(dialog):
        type_into(dialog.resident_name, "Arthur Bell")
        dialog.address.setPlainText("7 Hosyer's Almshouses, Corve Street, Ludlow SY8 1DA")
        type_into(dialog.description, "Bathroom extractor fan not working")
        dialog.ok_button.click()

    drive_modal(requests.new_button.click, new_request)
    request_ref = requests.current_request()["reference"]
    set_today(ctx, d("2026-02-16"))

    def raise_it(dialog):
        assert "Acknowledge by 23 Feb 2026" in dialog.info.text(), dialog.info.text()
        dialog.channel.setCurrentIndex(dialog.channel.findData("letter"))
        dialog.category.setCurrentIndex(dialog.category.findText("Repairs"))
        dialog.handler.setCurrentIndex(dialog.handler.findText(OFFICER))
        type_into(dialog.outcome_sought, "The fan repaired")
        dialog.ok_button.click()

    drive_modal(requests.raise_button.click, raise_it)
    bell = next(iter(window.case_windows))
    assert f"{request_ref} raised to complaint {bell}" in requests.status.text()
    assert [r["status"] for r in ctx.store.service_request_rows()] == ["raised"]
    bell_window = window.case_windows[bell]
    shot(bell_window, "03-raised-complaint")

    def ack_on(day: str):
        def fill(dialog):
            dialog.on.setDate(qd(day))
            assert dialog.on.date() == qd(day)
            dialog.ok_button.click()
        return fill

    set_today(ctx, d("2026-02-17"))
    drive_modal(bell_window.buttons["acknowledge"].click, ack_on("2026-02-17"))
    set_today(ctx, d("2026-02-27"))

    def respond_not_upheld(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("not-upheld"))
        type_into(dialog.reasons, "The fan was repaired on 3 February, within our repair timescale.")
        dialog.ok_button.click()

    drive_modal(bell_window.buttons["respond"].click, respond_not_upheld)
    assert service.get(bell).status == "stage1-responded"
    bell_window.close()

    # --- March: a complaint by phone from the resident's daughter, acting for her (Code 5.6) --------------
    set_today(ctx, d("2026-03-02"))

    def new_complaint(dialog):
        type_into(dialog.resident_name, "Edith Morris")
        dialog.address.setPlainText("3 Foxe's Almshouses, Lower Broad Street, Ludlow SY8 1PH")
        dialog.preferred_contact.setCurrentIndex(dialog.preferred_contact.findData("letter"))
        type_into(dialog.representative_name, "Susan Morris")
        type_into(dialog.representative_contact, "12 Castle View, Leominster HR6 8AB; 07700 900123")
        dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
        dialog.received.setDate(qd("2026-03-02"))
        assert "Acknowledge by 9 Mar 2026" in dialog.info.text(), dialog.info.text()
        type_into(dialog.category.lineEdit(), "Damp and mould")
        dialog.handler.setCurrentIndex(dialog.handler.findText(OFFICER))
        type_into(dialog.definition, "Black mould in the bedroom has come back three times since October")
        type_into(dialog.outcome_sought, "The cause of the damp found and fixed, and the bedroom redecorated")
        shot(dialog, "04-new-complaint")
        dialog.ok_button.click()

    drive_modal(window.new_case, new_complaint)
    morris = next(r for r in window.case_windows if r != bell)
    case_window = window.case_windows[morris]
    case = service.get(morris)
    assert case.representative_name == "Susan Morris" and case.channel == "phone"
    assert morris in window.show_page("worklist").references("soon") + window.show_page("worklist").references("today")

    # --- The letters, from the case window's Letter menu, through the preview --------------------------
    def letter(kind: str) -> str:
        seen: dict[str, str] = {}

        def look(dialog):
            assert dialog.pdf is not None, dialog.error.text()
            seen["text"] = pdf_text(dialog.pdf)
            shot(dialog, f"07-letter-{kind}")
            dialog.close_button.click()

        drive_modal(lambda: case_window._on_letter(kind), look)
        return seen["text"]

    def check_letter(kind: str) -> str:
        flat = " ".join(letter(kind).split())
        # Addressed to the daughter at her own address, naming the resident (Code 5.6).
        assert "Susan Morris" in flat and "12 Castle View" in flat and "HR6 8AB" in flat, (kind, flat[:400])
        assert "On behalf of: Edith Morris" in flat
        assert "Housing Ombudsman" in flat and "0300 111 3000" in flat, flat
        return flat

    # Acknowledge on 4 March: the response is due 10 working days later, 18 March.
    def acknowledge(dialog):
        dialog.on.setDate(qd("2026-03-04"))
        assert "response due by 18 Mar 2026" in dialog.info.text(), dialog.info.text()
        dialog.ok_button.click()

    set_today(ctx, d("2026-03-04"))
    drive_modal(case_window.buttons["acknowledge"].click, acknowledge)
    assert service.get(morris).stages[1].respond_due == d("2026-03-18")
    flat = check_letter("stage1-acknowledgement")
    assert "4 March 2026" in flat and "by Wednesday 18 March 2026" in flat, flat

    # Extend by 5 working days with a reason and the interval for updates agreed with the daughter.
    set_today(ctx, d("2026-03-13"))

    def extend(dialog):
        dialog.days.setValue(5)
        type_into(dialog.reason, "We are waiting for the damp surveyor's report")
        assert "due by 25 Mar 2026" in dialog.info.text(), dialog.info.text()
        type_into(dialog.update_interval, "A phone call to Susan every Friday")
        shot(dialog, "05-extend")
        dialog.ok_button.click()

    drive_modal(case_window.buttons["extend"].click, extend)
    stage1 = service.get(morris).stages[1]
    assert stage1.extension_working_days == 5 and stage1.respond_due == d("2026-03-25")
    assert stage1.update_interval == "A phone call to Susan every Friday"
    flat = check_letter("extension")
    assert "25 March 2026" in flat and "every Friday" in flat, flat

    # Respond on 24 March, partly upheld: £75 compensation and an outstanding repair (Code 6.6, 7.1, 7.3).
    set_today(ctx, d("2026-03-24"))

    def respond(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("partly-upheld"))
        type_into(dialog.reasons, "The mould treatments did not find the cause; the survey found a failed gutter.")
        dialog.remedies.add_button.click()
        kind, amount, description, due = dialog.remedies.widgets(0)
        kind.setCurrentIndex(kind.findData("compensation"))
        type_into(amount, "75")
        type_into(description, "Paid to Mrs Morris's rent account for the inconvenience")
        due.set_value(d("2026-04-03"))
        dialog.actions.add_button.click()
        action, owner, action_due = dialog.actions.widgets(0)
        type_into(action, "Replace the gutter and redecorate the bedroom")
        type_into(owner, CLERK)
        action_due.setDate(qd("2026-04-17"))
        shot(dialog, "06-respond")
        dialog.ok_button.click()

    drive_modal(case_window.buttons["respond"].click, respond)
    case = service.get(morris)
    assert case.status == "stage1-responded" and case.stages[1].decision == "partly-upheld"
    assert [(r["kind"], r["amount_pence"]) for r in case.remedies] == [("compensation", 7500)]
    flat = check_letter("stage1-response")
    assert "£75" in flat and "Replace the gutter" in flat and "partly" in flat.lower(), flat
    set_today(ctx, d("2026-03-30"))  # the compensation, due 3 April, comes onto the work list
    worklist = window.show_page("worklist")
    worklist.refresh()
    assert morris in worklist.references("actions")
    shot(window, "06b-worklist")

    # --- April: the remedy and the repair done; the work list empties ----------------------------------
    set_today(ctx, d("2026-04-02"))
    case_window.tabs.setCurrentIndex(4)
    case_window.remedies.setCurrentItem(case_window.remedies.topLevelItem(0))
    case_window.remedy_done_button.click()
    case_window.actions_tree.setCurrentItem(case_window.actions_tree.topLevelItem(0))
    case_window.mark_done_button.click()
    case = service.get(morris)
    assert case.remedies[0]["done"] == "2026-04-02" and case.actions[0]["done"] == "2026-04-02"
    worklist = window.show_page("worklist")
    worklist.refresh()
    assert all(morris not in worklist.references(g) for g in ("overdue", "today", "soon", "actions"))

    # --- The daughter asks for stage 2 on 7 April (after Easter); the same handler is refused (6.13) --------
    set_today(ctx, d("2026-04-07"))

    def escalate(dialog):
        dialog.handler.setCurrentIndex(dialog.handler.findData(OFFICER))
        dialog.ok_button.click()
        assert dialog.isVisible() and "6.13" in dialog.error.text(), dialog.error.text()
        assert "must not be the person who handled stage 1" in dialog.error.text()
        shot(dialog, "08-escalate-refused")
        dialog.handler.setCurrentIndex(dialog.handler.findData(CLERK))
        dialog.ok_button.click()

    drive_modal(case_window.buttons["escalate"].click, escalate)
    case = service.get(morris)
    assert case.stages[2].handler == CLERK
    # Good Friday 3 and Easter Monday 6 April are behind us: acknowledge by 14 April.
    assert case.stages[2].acknowledge_due == d("2026-04-14")
    set_today(ctx, d("2026-04-08"))
    drive_modal(case_window.buttons["acknowledge"].click, ack_on("2026-04-08"))
    assert service.get(morris).stages[2].respond_due == d("2026-05-07")  # 20 working days, 4 May a bank holiday
    set_today(ctx, d("2026-05-01"))

    def respond2(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("upheld"))
        type_into(dialog.reasons, "Reviewed afresh by the Clerk: the repeated mould treatments were not enough.")
        dialog.ok_button.click()

    drive_modal(case_window.buttons["respond"].click, respond2)
    assert service.get(morris).status == "stage2-responded"
    text = " ".join(letter("stage2-response").split())
    assert "Housing Ombudsman" in text and CLERK in text
    case_window.fields["learning"].setPlainText("Treating mould without finding its cause lets it come back: "
                                                "every damp report now gets a survey.")
    assert case_window.save()
    shot(case_window, "09-case-window")

    # --- June: a complaint about something 18 months old, not accepted (Code 2.1 to 2.5) ----------------
    def record(name: str, received: str, definition: str, issue: str | None = None) -> str:
        before = set(window.case_windows)

        def fill(dialog):
            type_into(dialog.resident_name, name)
            dialog.address.setPlainText("Hosyer's Almshouses, Corve Street, Ludlow SY8 1DA")
            dialog.channel.setCurrentIndex(dialog.channel.findData("letter"))
            dialog.received.setDate(qd(received))
            type_into(dialog.category.lineEdit(), "Repairs")
            dialog.handler.setCurrentIndex(dialog.handler.findText(OFFICER))
            type_into(dialog.definition, definition)
            if issue:
                dialog.issue_date.set_value(d(issue))
                assert dialog.over_12_months()
            dialog.ok_button.click()

        drive_modal(window.new_case, fill)
        return next(r for r in window.case_windows if r not in before)

    set_today(ctx, d("2026-06-01"))
    price = record("Walter Price", "2026-06-01", "The window repair in November 2024 was poor", issue="2024-11-15")

    def refuse(dialog):
        dialog.reason.setCurrentIndex(dialog.reason.findData("over-12-months"))
        type_into(dialog.explanation, "The repair was done in November 2024, more than 12 months before you "
                                      "complained, and nothing prevented you from complaining sooner.")
        dialog.ok_button.click()

    drive_modal(window.case_windows[price].buttons["refuse"].click, refuse)
    assert service.get(price).status == "refused"

    # --- September: the Ombudsman's determination on Mrs Morris's complaint, with an order, complied with -----
    set_today(ctx, d("2026-09-14"))
    fields = case_window.fields
    fields["ombudsman_referred_on"].set_value(d("2026-05-20"))
    fields["ombudsman_determined_on"].set_value(d("2026-09-01"))
    fields["ombudsman_finding"].setCurrentIndex(fields["ombudsman_finding"].findData("maladministration"))
    fields["ombudsman_orders"].setPlainText("Pay a further £100 and review the damp and mould policy")
    fields["ombudsman_orders_due"].set_value(d("2026-09-29"))
    assert case_window.save(), case_window.save_error.text()
    fields["ombudsman_orders_complied_on"].set_value(d("2026-09-14"))
    assert case_window.save()
    assert case_window.compliance_label.text().startswith("Complied on time")

    # --- December: a complaint just before Christmas; the calendar counts round the closure days ----------
    set_today(ctx, d("2026-12-18"))
    hall = record("Joan Hall", "2026-12-18", "The communal heating failed for three days")
    acknowledge_due = service.get(hall).stages[1].acknowledge_due
    assert acknowledge_due == d("2027-01-05")  # 21, 22, 23 Dec, then 4 and 5 Jan: Christmas closed
    page = window.show_page("calendar")
    page.refresh()
    page.show_month(2026, 12)

    def cell(day: str) -> str:
        return page.model.index_of(d(day)).data(Qt.AccessibleTextRole) or page.model.index_of(d(day)).data()

    assert "bank holiday: Christmas Day" in cell("2026-12-25")
    assert "bank holiday: Boxing Day (observed)" in cell("2026-12-28")
    assert "office closed: Office closed for Christmas" in cell("2026-12-29")
    shot(window, "10-calendar-december")
    page.show_month(2027, 1)
    assert hall in page.references_on(acknowledge_due)
    # The resident withdraws it before it is acknowledged.

    def withdraw(dialog):
        type_into(dialog.reason, "Heating restored; Mrs Hall no longer wishes to complain")
        dialog.ok_button.click()

    drive_modal(window.case_windows[hall].buttons["withdraw"].click, withdraw)
    assert service.get(hall).status == "withdrawn"
    page.refresh()
    assert hall not in page.references_on(acknowledge_due)
    worklist = window.show_page("worklist")
    worklist.refresh()
    assert all(not worklist.references(g) for g in ("overdue", "today", "soon", "actions"))
    shot(window, "11-worklist-empty")

    # --- January 2027: the annual report for January to December 2026 -------------------------------------
    set_today(ctx, d("2027-01-18"))
    reports = window.show_page("reports")
    reports.refresh()
    reports.year_box.setCurrentIndex(reports.year_box.findData(2026))
    qtbot.waitUntil(lambda: not reports.busy(), timeout=20_000)
    f = reports.figures
    assert f["stage1"]["received"] == 3  # Bell, Morris, Hall (withdrawn); Price was not accepted
    assert f["stage1"]["responded"] == 2 and f["stage1"]["responded_within_timescale"] == 2
    assert f["stage1"]["per_1000_homes"] == 75.0  # 3 complaints, 40 homes
    assert f["stage2"]["received"] == 1 and f["stage2"]["responded_within_timescale"] == 1
    assert f["refused"] == 1 and f["refused_by_reason"]["over-12-months"] == 1
    assert f["remedies"]["compensation_pence"] == 7500
    assert f["ombudsman"]["findings"] == {"maladministration": 1} and f["ombudsman"]["orders_complied_on_time"] == 1
    table = {reports.figures_table.item(r, 0).text(): reports.figures_table.item(r, 1).text()
             for r in range(reports.figures_table.rowCount()) if reports.figures_table.item(r, 0)}
    assert table["Complaints received"] == "3" and table["Received per 1,000 homes (CH01)"] == "75.0"
    assert table["% within timescales (CH02)"] == "100.0%"
    note = reports.figures_note.text()
    assert "£75.00" in note and "learning recorded on 1 case." in note
    assert "Not accepted: 1 because the issue giving rise to the complaint occurred over twelve months ago" in note
    assert "1 maladministration" in note and "on time: 1 of 1" in note, note
    shot(window, "12-reports")

    # --- Backups & data: a backup made by hand, then restored ---------------------------------------------
    data = window.show_page("data")
    qtbot.waitUntil(lambda: not data.busy() and not data.checks_pending(), timeout=20_000)
    data.backup_button.click()
    qtbot.waitUntil(lambda: not data.busy() and data.backup_table.rowCount() >= 1, timeout=20_000)
    assert "Backed up 4 cases" in data.status.text(), data.status.text()
    backup = data.selected_backup()
    data._confirm = lambda title, text, action: True
    data._tell = lambda title, text, problem=False: None
    with qtbot.waitSignal(ctx.cases_changed, timeout=20_000):
        data.select_backup(backup)
        data.restore_button.click()
    qtbot.waitUntil(lambda: not data.busy(), timeout=20_000)
    assert "Restored 4 cases" in data.status.text(), data.status.text()
    assert ctx.store.count_cases() == 4 and ctx.service.get(morris).stages[2].decision == "upheld"
    shot(window, "13-backups")
    window.close()


def test_the_years_self_assessment(qtbot, ctx, tmp_path, monkeypatch):
    """January 2027: the officer answers the Code for 2026 on the Self-assessment page, beside what the year's
    cases say, plans an improvement, records the trustees' approval and exports the PDF."""
    from PySide6.QtWidgets import QFileDialog

    from hoscase.gui.main_window import MainWindow
    from hoscase.selfassessment import SelfAssessments

    _first_run(qtbot, ctx)
    service = ctx.service
    set_today(ctx, d("2027-01-20"))
    # The year's complaints: three acknowledged, one of them late (received Friday 6 March, due Friday 13).
    for name, received, acknowledged in (("Arthur Bell", "2026-02-16", "2026-02-17"),
                                         ("Edith Morris", "2026-03-02", "2026-03-04"),
                                         ("Joan Hall", "2026-03-06", "2026-03-20")):
        ref = service.add_case(resident_name=name, address="Hosyer's Almshouses, Corve Street, Ludlow SY8 1DA",
                               received=received, channel="letter", category="Repairs",
                               definition="The communal heating failed", handler=OFFICER).reference
        service.acknowledge(ref, acknowledged)
    window = MainWindow(ctx, QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)

    page = window.show_page("selfassessment")
    page.select_year(2026)
    assert page.selected_year() == 2026 and not page.assessment.started
    assert not page.comply.isEnabled()
    qtbot.mouseClick(page.start_button, Qt.LeftButton)
    assert page.assessment.started and page.comply.isEnabled() and not page.start_button.isEnabled()

    def answer(number: str, comply: str, rag: str, evidence: str, commentary: str) -> None:
        page.tree.setCurrentItem(page._item_for(number))
        assert page.current == number
        page.comply.setCurrentIndex(page.comply.findData(comply))
        page.rag.setCurrentIndex(page.rag.findData(rag))
        page.evidence_edit.selectAll()
        type_into(page.evidence_edit, evidence)
        page.commentary.selectAll()
        type_into(page.commentary, commentary)
        qtbot.mouseClick(page.save_button, Qt.LeftButton)
        assert not page.problem.text(), page.problem.text()

    page.tree.setCurrentItem(page._item_for("6.2"))
    assert page.records_box.isVisibleTo(page)
    records = page.records.text()
    assert "Stage 1 acknowledged within 5 working days: 2 of 3 (67%)" in records, records
    answer("6.2", "Partly", "amber", "Acknowledgement log, complaints register",
           "One acknowledgement late in March while the officer was on leave")
    assert page.warning.isHidden()  # 'Partly' and amber are what the records bear out
    answer("1.2", "Yes", "green", "Complaints Policy section 1", "Definition adopted word for word")
    answer("3.1", "Yes", "green", "Policy page on the website", "Residents can complain in any way they choose")
    saved = SelfAssessments(service).annual(2026)
    assert (saved.entry("6.2").comply, saved.entry("6.2").rag) == ("Partly", "amber")
    assert saved.entry("6.2").commentary.startswith("One acknowledgement late")
    assert saved.entry("1.2").evidence == "Complaints Policy section 1" and saved.entry("3.1").rag == "green"
    assert page.counts["green"].text() == "Green: 2" and page.counts["amber"].text() == "Amber: 1"
    assert page._item_for("6.2").text(3) == "Amber"
    shot(window, "14-selfassessment")

    # An improvement action for 6.2, from the editor's button (the provision comes with it).
    page.tree.setCurrentItem(page._item_for("6.2"))

    def add_action(dialog):
        assert dialog.provision.currentData() == "6.2"
        type_into(dialog.text, "Cover acknowledgements when the officer is on leave")
        type_into(dialog.owner, CLERK)
        dialog.due.set_value(d("2027-03-31"))
        dialog.ok_button.click()

    drive_modal(page.add_action_button.click, add_action)
    assert page.actions_table.rowCount() == 1
    assert page.actions_table.item(0, 0).text() == "6.2" and page.actions_table.item(0, 2).text() == CLERK
    assert page.actions_table.item(0, 5).text() == "Open"
    assert page.counts["actions_open"].text() == "Actions open: 1"

    # The trustees approve it on 19 January.
    def approve(dialog):
        dialog.by.selectAll()
        type_into(dialog.by, "Board of Trustees")
        dialog.on.setDate(qd("2027-01-19"))
        type_into(dialog.changes, "Annual review")
        dialog.ok_button.click()

    drive_modal(page.approve_button.click, approve)
    a = SelfAssessments(service).annual(2026)
    assert a.approved_by == "Board of Trustees" and str(a.approved_on) == "2027-01-19"
    assert "approved by Board of Trustees on 19 Jan 2027" in page.state.text(), page.state.text()

    # The PDF, from the page's button.
    target = tmp_path / "exports" / "self-assessment-2026"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kw: (str(target), "")))
    with qtbot.waitSignal(page.exported, timeout=20_000) as blocker:
        page.export_buttons["pdf"].click()
    written = Path(blocker.args[0])
    assert written == target.with_suffix(".pdf") and written.exists()
    assert str(written) in page.export_note.text()
    flat = " ".join(pdf_text(written.read_bytes()).split())
    assert "St Laurence's Almshouses" in flat, flat[:400]
    for expected in ("6.2", "1.2", "3.1", "Partly", "Amber", "Acknowledgement log, complaints register",
                     "One acknowledgement late in March", "Complaints Policy section 1",
                     "Residents can complain in any way they choose", "Board of Trustees", "19 January 2027"):
        assert expected in flat, (expected, flat[:1500])
    # The action plan is its own PDF, as the Ombudsman's form has it.
    target = tmp_path / "exports" / "plan-2026.pdf"
    with qtbot.waitSignal(page.exported, timeout=20_000) as blocker:
        page.export_buttons["plan"].click()
    plan = " ".join(pdf_text(Path(blocker.args[0]).read_bytes()).split())
    assert "6.2" in plan and "Cover acknowledgements when the officer is on leave" in plan and CLERK in plan, plan
    window.close()
