"""The first-run setup: a short wizard that asks for what every letter and report needs, then saves it once.

Each page is checked by the core (``hoscase.first_run.check_part``) before moving on, with the problem shown
on the page in words; nothing is written until Finish, when ``save_first_run`` saves it all in one
transaction. Everything asked here can be changed later in Settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from hoscase import __version__
from hoscase.errors import HoscaseError
from hoscase.first_run import (
    DEFAULT_CATEGORIES,
    DEFAULT_HANDLER_ROLE,
    DEFAULT_YEAR_START_MONTH,
    MONTHS,
    check_part,
    clean_answers,
    needs_first_run,
    save_first_run,
)
from hoscase.gui.widgets import ErrorLabel
from hoscase.paths import resource_path
from hoscase.settings import organisation


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("dialogIntro")
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    return form


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    widget.setObjectName(name.lower().replace(" ", "_").replace("'", ""))
    return widget


class _CheckedPage(QWizardPage):
    """A page whose answers the core checks before the wizard moves on."""

    part = ""

    def __init__(self, wizard: FirstRunWizard, title: str, subtitle: str) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(10)
        self.error = ErrorLabel()

    def finish_layout(self, *, stretch: bool = True) -> None:
        if stretch:
            self.layout_.addStretch(1)
        self.layout_.addWidget(self.error)
        # An old problem message goes as soon as the officer starts putting it right.
        for edit in self.findChildren(QLineEdit):
            edit.textChanged.connect(self.error.clear_error)
        for edit in self.findChildren(QPlainTextEdit):
            edit.textChanged.connect(self.error.clear_error)
        for spin in self.findChildren(QSpinBox):
            spin.valueChanged.connect(self.error.clear_error)
        for table in self.findChildren(QTableWidget):
            table.itemChanged.connect(self.error.clear_error)

    def answers(self) -> dict[str, Any]:  # pragma: no cover - every page overrides
        raise NotImplementedError

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.error.clear_error()
        try:
            check_part(self.part, self.answers())
        except HoscaseError as exc:
            self.error.show_error(str(exc))
            return False
        return True


class _WelcomePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.setTitle("Welcome to hoscase")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(QPixmap(str(resource_path("icons", "hoscase-64.png"))))
        icon.setAlignment(Qt.AlignTop)
        top.addWidget(icon)
        top.addWidget(_intro(
            "<p>hoscase keeps your complaints to the Housing Ombudsman's Complaint Handling Code: it works out "
            "every deadline in working days, prints the stage letters and produces the annual self-assessment "
            "and complaints report.</p>"
            "<p>Before your first complaint, tell it about your organisation. It takes a couple of minutes: "
            "your name, address and logo for the letters, who signs them, who handles complaints and when "
            "your year starts. You can change all of it later in <b>Settings</b>.</p>"), 1)
        layout.addLayout(top)
        where = QLabel(
            f"Your cases will be kept in this file, on this computer only:<br><b>{wizard.ctx.store.path}</b><br>"
            "Back it up as you would any confidential record.")
        where.setObjectName("infoLabel")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        where.setAccessibleName("Where your cases are kept")
        layout.addWidget(where)
        layout.addStretch(1)
        version = QLabel(f"hoscase {__version__}")
        version.setEnabled(False)
        layout.addWidget(version, 0, Qt.AlignRight)


class _OrganisationPage(_CheckedPage):
    part = "organisation"

    def __init__(self, wizard: FirstRunWizard, saved: dict[str, Any]) -> None:
        super().__init__(wizard, "Your organisation",
                         "Printed at the top of every letter and on your reports.")
        form = _form()
        self.name = _named(QLineEdit(saved.get("name") or ""), "Organisation name")
        self.name.setPlaceholderText("e.g. Ludlow Almshouse Charity")
        self.address = _named(QPlainTextEdit(saved.get("address") or ""), "Address")
        self.address.setPlaceholderText("Street\nTown\nPostcode")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(84)
        self.homes = _named(QSpinBox(), "Number of homes")
        self.homes.setRange(0, 10_000_000)
        self.homes.setSpecialValueText("Not set")
        self.homes.setGroupSeparatorShown(True)
        self.homes.setValue(int(saved.get("homes") or 0))
        self.homes.setToolTip("The homes you own or manage: the annual report gives complaints per 1,000 homes.")
        self.logo = _named(QLineEdit(saved.get("logo") or ""), "Logo file")
        self.logo.setPlaceholderText("Optional: a PNG or JPEG image")
        choose = QPushButton("Choose…")
        choose.setAccessibleName("Choose a logo file")
        choose.clicked.connect(self._on_choose_logo)
        clear = QPushButton("Clear")
        clear.setAccessibleName("No logo")
        clear.clicked.connect(self.logo.clear)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(clear)
        self.preview = QLabel()
        self.preview.setFixedHeight(56)
        self.preview.setAccessibleName("Logo preview")
        self.logo.textChanged.connect(self._on_logo_changed)
        form.addRow("Na&me:", self.name)  # not &N: Alt+N is the wizard's Next
        form.addRow("&Address:", self.address)
        form.addRow("Number of &homes:", self.homes)
        logo_label = QLabel("&Logo:")
        logo_label.setBuddy(self.logo)
        form.addRow(logo_label, logo_row)
        form.addRow("", self.preview)
        self.layout_.addLayout(form)
        self.finish_layout()
        self._on_logo_changed(self.logo.text())

    def answers(self) -> dict[str, Any]:
        return {"name": self.name.text(), "address": self.address.toPlainText(),
                "homes": self.homes.value() or None, "logo": self.logo.text().strip()}

    def _on_choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose your logo", str(Path.home()),
                                              "Images (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)

    def _on_logo_changed(self, text: str) -> None:
        pixmap = QPixmap(text.strip()) if text.strip() else QPixmap()
        if pixmap.isNull():
            self.preview.clear()
            self.preview.setText("" if not text.strip() else "(cannot show this file as an image)")
        else:
            self.preview.setPixmap(pixmap.scaledToHeight(52, Qt.SmoothTransformation))


class _ContactPage(_CheckedPage):
    part = "contact"

    def __init__(self, wizard: FirstRunWizard, saved: dict[str, Any]) -> None:
        super().__init__(wizard, "Letters and contact details",
                         "Letters are signed by the complaint's handler, or by this person when none is named. "
                         "Give a phone number or an email address so residents can reach you.")
        form = _form()
        self.signatory = _named(QLineEdit(saved.get("signatory") or ""), "Signatory")
        self.signatory.setPlaceholderText("e.g. the complaints officer or the clerk")
        self.signatory_role = _named(QLineEdit(saved.get("signatory_role") or ""), "Signatory's role")
        self.signatory_role.setPlaceholderText("e.g. Complaints Officer")
        self.phone = _named(QLineEdit(saved.get("phone") or ""), "Phone")
        self.phone.setPlaceholderText("e.g. 01584 872 000")
        self.email = _named(QLineEdit(saved.get("email") or ""), "Email")
        self.email.setPlaceholderText("e.g. complaints@example.org.uk")
        self.website = _named(QLineEdit(saved.get("website") or ""), "Website")
        self.website.setPlaceholderText("Optional, e.g. www.example.org.uk")
        form.addRow("&Signed by:", self.signatory)
        form.addRow("Their &role:", self.signatory_role)
        form.addRow("&Phone:", self.phone)
        form.addRow("&Email:", self.email)
        form.addRow("&Website:", self.website)
        self.layout_.addLayout(form)
        self.finish_layout()

    def answers(self) -> dict[str, Any]:
        return {"signatory": self.signatory.text(), "signatory_role": self.signatory_role.text(),
                "phone": self.phone.text(), "email": self.email.text(), "website": self.website.text()}


class _HandlersPage(_CheckedPage):
    part = "handlers"

    def __init__(self, wizard: FirstRunWizard, handlers: list[dict[str, Any]]) -> None:
        super().__init__(wizard, "Who handles complaints", "Everyone who may handle a complaint, with their role.")
        self.layout_.addWidget(_intro(
            "The Code (6.13) says stage 2 must be considered by someone other than the stage 1 handler, so add "
            "a second person, such as a manager or a trustee, if you can. Click a cell to type in it."))
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Complaint handlers")
        self.table.setHorizontalHeaderLabels(["Name", "Role"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers)
        for row in handlers or [{"name": "", "role": DEFAULT_HANDLER_ROLE}]:
            self.add_handler(row.get("name") or "", row.get("role") or DEFAULT_HANDLER_ROLE)
        add = QPushButton("&Add a handler")
        add.clicked.connect(self._on_add)
        self.remove = QPushButton("&Remove")
        self.remove.setAccessibleName("Remove the selected handler")
        self.remove.clicked.connect(self._on_remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(buttons)
        self.finish_layout(stretch=False)

    def initializePage(self) -> None:  # noqa: N802 - QWizardPage's name
        """The person who signs letters usually handles complaints too: start the list with them."""
        super().initializePage()
        first = self.table.item(0, 0) if self.table.rowCount() == 1 else None
        if first is None or first.text().strip():
            return
        contact = self.wizard_.contact_page.answers()
        if contact["signatory"].strip():
            first.setText(contact["signatory"].strip())
            if contact["signatory_role"].strip():
                self.table.item(0, 1).setText(contact["signatory_role"].strip())

    def add_handler(self, name: str = "", role: str = DEFAULT_HANDLER_ROLE) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(role))
        return row

    def answers(self) -> dict[str, Any]:
        editor = QApplication.focusWidget()
        if editor is not None and self.table.isAncestorOf(editor) and editor is not self.table:
            # A name still being typed counts: commit the open cell editor before reading the table.
            self.table.commitData(editor)
            self.table.closeEditor(editor, QAbstractItemDelegate.NoHint)
        rows = []
        for row in range(self.table.rowCount()):
            name, role = self.table.item(row, 0), self.table.item(row, 1)
            rows.append({"name": name.text() if name else "", "role": role.text() if role else ""})
        return {"handlers": rows}

    def _on_add(self) -> None:
        row = self.add_handler()
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def _on_remove(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows or [self.table.rowCount() - 1]:
            if row >= 0:
                self.table.removeRow(row)


class _YearPage(_CheckedPage):
    part = "year"

    def __init__(self, wizard: FirstRunWizard, month: int, categories: list[str]) -> None:
        super().__init__(wizard, "Your year and complaint categories",
                         "The annual self-assessment and complaints performance report cover your financial "
                         "year.")
        form = _form()
        self.month = _named(QComboBox(), "Financial year starts in")
        self.month.addItems(MONTHS)
        self.month.setCurrentIndex((month or DEFAULT_YEAR_START_MONTH) - 1)
        form.addRow("Your &year starts in:", self.month)
        self.layout_.addLayout(form)
        if categories:
            text = ("Complaints are sorted into your existing categories: " + ", ".join(categories) + ".")
        else:
            text = ("Complaints will be sorted into these categories to start with: "
                    + ", ".join(DEFAULT_CATEGORIES) + ". Change them at any time in Settings.")
        note = QLabel(text)
        note.setWordWrap(True)
        note.setAccessibleName("Complaint categories")
        self.layout_.addWidget(note)
        self.finish_layout()

    def answers(self) -> dict[str, Any]:
        return {"year_start_month": self.month.currentIndex() + 1}


class _SummaryPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Ready to start")
        self.setSubTitle("Check these details, then Finish to save them and open your work list.")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)
        self.summary.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.summary.setAccessibleName("Summary")
        layout.addWidget(self.summary, 1)
        self.error = ErrorLabel()
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.error.clear_error()
        try:
            answers = clean_answers(self.wizard_.answers())
        except HoscaseError as exc:
            self.summary.clear()
            self.error.show_error(str(exc))
            return
        self.summary.setText(_summary_html(answers))

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return self.wizard_.save()


def _escape(text: Any) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", ", "))


def _summary_html(answers: dict[str, Any]) -> str:
    rows = [
        ("Organisation", answers["name"]),
        ("Address", answers["address"]),
        ("Homes", f"{answers['homes']:,}"),
        ("Logo", Path(answers["logo"]).name if answers["logo"] else "none"),
        ("Signatory", f"{answers['signatory']}, {answers['signatory_role']}"),
        ("Phone", answers["phone"] or "—"),
        ("Email", answers["email"] or "—"),
        ("Website", answers["website"] or "—"),
        ("Handlers", "; ".join(f"{h['name']} ({h['role']})" for h in answers["handlers"])),
        ("Year starts", f"1 {MONTHS[answers['year_start_month'] - 1]}"),
    ]
    cells = "".join(f"<tr><td style='padding:2px 14px 2px 0; color:#555'>{_escape(k)}</td>"
                    f"<td style='padding:2px 0'>{_escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


class FirstRunWizard(QWizard):
    """Opened by the app when the database has no organisation yet (``needs_first_run``)."""

    saved = Signal(dict)  # the answers, as saved

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.value: dict[str, Any] | None = None
        self.setWindowTitle("Set up hoscase")
        self.setWindowIcon(QIcon(str(resource_path("icons", "hoscase-256.png"))))
        self.setWizardStyle(QWizard.ModernStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.NoCancelButtonOnLastPage, False)
        self.setButtonText(QWizard.FinishButton, "&Finish and open hoscase")
        self.setMinimumSize(640, 500)
        saved = organisation(ctx.store)
        handlers = [{"name": h["name"], "role": h["role"]} for h in ctx.store.handlers(active_only=True)]
        self.welcome = _WelcomePage(self)
        self.organisation_page = _OrganisationPage(self, saved)
        self.contact_page = _ContactPage(self, saved)
        self.handlers_page = _HandlersPage(self, handlers)
        self.year_page = _YearPage(self, int(saved.get("financial_year_start_month") or DEFAULT_YEAR_START_MONTH),
                                   ctx.store.categories(active_only=True))
        self.summary_page = _SummaryPage(self)
        for page in (self.welcome, self.organisation_page, self.contact_page, self.handlers_page, self.year_page,
                     self.summary_page):
            self.addPage(page)

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for page in (self.organisation_page, self.contact_page, self.handlers_page, self.year_page):
            out.update(page.answers())
        return out

    def save(self) -> bool:
        """Save everything in one go; on a problem say so on the last page and change nothing."""
        self.summary_page.error.clear_error()
        who = getattr(self.ctx.service, "who", None) or "officer"
        try:
            self.value = save_first_run(self.ctx.store, self.answers(), who,
                                        data_folder=getattr(self.ctx, "data_folder", None))
        except HoscaseError as exc:
            self.summary_page.error.show_error(str(exc))
            return False
        except OSError as exc:  # the logo could not be copied, the disk is full…
            self.summary_page.error.show_error(f"could not save the setup: {exc}")
            return False
        self.ctx.settings_changed.emit()
        self.saved.emit(self.value)
        return True

    @classmethod
    def run(cls, ctx, parent: QWidget | None = None) -> tuple[dict[str, Any] | None, bool]:
        """Open the wizard; returns (the saved answers, True) after Finish, or (None, False) if cancelled."""
        wizard = cls(ctx, parent)
        accepted = wizard.exec() == QWizard.Accepted and wizard.value is not None
        value = wizard.value if accepted else None
        wizard.deleteLater()
        return value, accepted


def setup_if_needed(ctx, parent: QWidget | None = None) -> bool:
    """Show the setup on a database that has none yet; False only if the officer cancelled it.

    For app startup: ``if not setup_if_needed(ctx): return 0`` (a cancelled setup closes the app, so no letter
    ever goes out unsigned; the setup comes back next time).
    """
    if not needs_first_run(ctx.store):
        return True
    _answers, accepted = FirstRunWizard.run(ctx, parent)
    return accepted
