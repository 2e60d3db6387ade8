"""Step 1: which file. Typed, chosen in a file dialog, or dropped onto the page.

A CSV file is sniffed from its first 64 KiB, at once. An Excel workbook is
loaded a whole sheet at a time (python-calamine), seconds for a big one, so it
is read on a worker thread (ui/background.py) while the page shows a busy bar
and a Cancel button; the window stays responsive, and the read's result comes
back to the UI thread as a signal. Cancel drops the read: the worker finishes
in the background and its result is ignored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from leaddesk.core.csv_import.source import is_workbook
from leaddesk.core.csv_import.xlsx_reader import SheetFormat
from leaddesk.core.paths import expanded
from leaddesk.ui.background import BackgroundJob
from leaddesk.ui.import_wizard.session import (
    ImportSession,
    PendingRead,
    SourceRead,
    encoding_label,
)
from leaddesk.ui.import_wizard.widgets import MessageLine

_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
CSV_FILTER = (
    "CSV files and Excel workbooks (*.csv *.txt *.tsv *.xlsx *.xlsm);;"
    "CSV files (*.csv *.txt *.tsv);;Excel workbooks (*.xlsx *.xlsm);;All files (*)"
)


def describe_format(session: ImportSession) -> str:
    """'UTF-8, comma-separated, 13 columns, header on line 1.'"""
    fmt = session.fmt
    if fmt is None:
        return ""
    rows = len(session.rows)
    shown = f"{rows}+ rows" if rows >= 200 else f"{rows} row{'s' if rows != 1 else ''}"
    if isinstance(fmt, SheetFormat):
        # "Excel sheet 'Contacts', 11 columns (header on row 3), 3 rows."
        return (
            f"Excel sheet '{fmt.sheet}', {len(fmt.headers)} columns "
            f"(header on row {fmt.header_line_number}), {shown}."
        )
    separator = _DELIMITER_NAMES.get(fmt.delimiter, repr(fmt.delimiter))
    return (
        f"{encoding_label(fmt.encoding)}, {separator}-separated, {len(fmt.headers)} columns "
        f"(header on line {fmt.header_line_number}), {shown}."
    )


# Reads of workbooks still running, held until their thread ends: a page closed (or
# a read cancelled) must not destroy a thread that is still working.
_RUNNING_READS: set[BackgroundJob] = set()


def start_read(pending: PendingRead) -> BackgroundJob:
    """``pending`` on a worker thread; ``succeeded`` carries (pending, SourceRead)."""
    job = BackgroundJob(
        lambda _progress, _cancelled: (pending, pending.run()),
        what=f"reading {pending.path.name}",
        # Only reads a file: never a reason for the daily backup to wait.
        counted=False,
    )
    _RUNNING_READS.add(job)

    def done() -> None:
        _RUNNING_READS.discard(job)
        job.deleteLater()

    job.finished.connect(done)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(job.wait)
    job.start()
    return job


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) == 1 and urls[0].isLocalFile():
        return Path(urls[0].toLocalFile())
    return None


class FilePage(QWizardPage):
    def __init__(self, session: ImportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle("Choose a file")
        self.setSubTitle(
            "A CSV export from a CRM (HubSpot, Pipedrive, Salesforce, Zoho, Outlook, Google, "
            "LinkedIn), an Excel workbook (.xlsx) or a spreadsheet saved as CSV. "
            "You can also drop the file here."
        )
        self.setAcceptDrops(True)

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText("Path to a .csv or .xlsx file")
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.clicked.connect(self.browse)
        label = QLabel("&File:")
        label.setBuddy(self.path_edit)

        self.message = MessageLine()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # A workbook with several sheets: which one to import.
        self.sheet = QComboBox()
        self.sheet.setObjectName("importSheet")
        self.sheet.setAccessibleName("Sheet")
        self.sheet.activated.connect(self._sheet_chosen)
        self.sheet_label = QLabel("&Sheet:")
        self.sheet_label.setBuddy(self.sheet)
        # While a workbook is read on its worker: a busy bar and a way out.
        self.busy_label = QLabel()
        self.busy_label.setObjectName("readingFile")
        self.busy = QProgressBar()
        self.busy.setObjectName("readingProgress")
        self.busy.setRange(0, 0)  # busy: calamine reports no progress within a sheet
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Reading the workbook")
        self.cancel_read_button = QPushButton("&Cancel")
        self.cancel_read_button.setObjectName("cancelRead")
        self.cancel_read_button.setToolTip("Stop reading this workbook")
        self.cancel_read_button.clicked.connect(self.cancel_read)
        self._reading: PendingRead | None = None

        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet)
        sheet_row.addStretch(1)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_label)
        busy_row.addWidget(self.busy, 1)
        busy_row.addWidget(self.cancel_read_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(sheet_row)
        layout.addLayout(busy_row)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addStretch(1)

        # Typing a path reads it once the user pauses, not at every key.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(300)
        self._typing.timeout.connect(self._read_typed_path)
        self.path_edit.textEdited.connect(self._on_edited)
        self.path_edit.returnPressed.connect(self._read_typed_path)
        self._show_sheets()
        self._show_busy(None)

    def initializePage(self) -> None:
        self.path_edit.setFocus()

    def browse(self) -> None:
        start = str(self.session.path.parent) if self.session.path else ""
        path, _filter = QFileDialog.getOpenFileName(self, "Import leads", start, CSV_FILTER)
        if path:
            self.set_path(Path(path))

    def set_path(self, path: Path) -> None:
        """Read ``path`` and show what was found, or why it cannot be used.

        A workbook is read on a worker thread: this returns at once and the page
        shows what was found when the read is done.
        """
        self._typing.stop()
        if self.path_edit.text() != str(path):
            self.path_edit.setText(str(path))
        if is_workbook(path):
            self._start_reading(self.session.pending_open(path))
            return
        self._reading = None
        self._show_busy(None)
        self.session.open(path)
        self._show_sheets()
        self._show_state()

    # -- reading a workbook off the UI thread ----------------------------------

    def is_reading(self) -> bool:
        return self._reading is not None

    def _start_reading(self, pending: PendingRead) -> None:
        # A read still running for an earlier choice is dropped: only the last counts.
        self._reading = pending
        job = start_read(pending)
        job.succeeded.connect(self._on_read)
        job.failed.connect(self._on_read_failed)
        self.message.clear()
        self.summary.clear()
        self._show_busy(pending)
        self.completeChanged.emit()

    def _on_read(self, done: tuple[PendingRead, SourceRead]) -> None:
        pending, read = done
        if pending is not self._reading:
            return  # cancelled, or another file or sheet was chosen since
        self._reading = None
        self._show_busy(None)
        self.session.finish_read(pending, read)
        if read.fmt is not None or pending.sheet is None:
            # A sheet that cannot be used keeps the chooser, to pick another one.
            self._show_sheets()
        self._show_state()

    def _on_read_failed(self, message: str) -> None:
        if self._reading is None:
            return
        self._reading = None
        self._show_busy(None)
        self.message.show_error(message)
        self.completeChanged.emit()

    def cancel_read(self) -> None:
        """Stop waiting for the workbook; the page shows the file read before, if any."""
        pending, self._reading = self._reading, None
        if pending is None:
            return
        self._show_busy(None)
        self.message.show_info(f"Stopped reading {pending.path.name}.")
        if self.session.fmt is not None and self.session.path is not None:
            if self.path_edit.text() != str(self.session.path):
                self.path_edit.setText(str(self.session.path))
            self.summary.setText(describe_format(self.session))
        self._show_sheets()
        self.completeChanged.emit()

    def _show_busy(self, pending: PendingRead | None) -> None:
        reading = pending is not None
        if pending is not None:
            what = f"sheet '{pending.sheet}' of " if pending.sheet else ""
            self.busy_label.setText(f"Reading {what}{pending.path.name}…")
        for widget in (self.busy_label, self.busy, self.cancel_read_button):
            widget.setVisible(reading)
        self.sheet.setEnabled(not reading)
        self.browse_button.setEnabled(not reading)

    def _show_state(self) -> None:
        if self.session.fmt is not None:
            self.message.clear()
            self.summary.setText(describe_format(self.session))
        else:
            self.message.show_error(self.session.error or "The file cannot be used.")
            self.summary.clear()
        self.completeChanged.emit()

    def _show_sheets(self) -> None:
        """The sheet chooser: shown for a workbook of several sheets only."""
        fmt = self.session.fmt
        sheets = fmt.sheets if isinstance(fmt, SheetFormat) else ()
        self.sheet.clear()
        self.sheet.addItems(list(sheets))
        if isinstance(fmt, SheetFormat):
            self.sheet.setCurrentText(fmt.sheet)
        for widget in (self.sheet, self.sheet_label):
            widget.setVisible(len(sheets) > 1)

    def _sheet_chosen(self, index: int) -> None:
        sheet = self.sheet.itemText(index)
        fmt = self.session.fmt
        if isinstance(fmt, SheetFormat) and sheet == fmt.sheet:
            return
        self._start_reading(self.session.pending_sheet(sheet))

    def _on_edited(self, _text: str) -> None:
        self._typing.start()
        self.completeChanged.emit()

    def _read_typed_path(self) -> None:
        self._typing.stop()
        text = self.path_edit.text().strip()
        if not text:
            self._reading = None
            self._show_busy(None)
            self.session.fmt, self.session.path = None, None
            self._show_sheets()
            self.message.clear()
            self.summary.clear()
            self.completeChanged.emit()
        elif self._reading is not None and self._reading.path == expanded(text):
            return  # being read already
        elif self.session.path != expanded(text) or self.session.fmt is None:
            self.set_path(expanded(text))

    def isComplete(self) -> bool:
        return (
            self.session.fmt is not None and not self._typing.isActive() and not self.is_reading()
        )

    def validatePage(self) -> bool:
        # The user may have typed a path and pressed Next before the pause elapsed.
        if self._typing.isActive():
            self._read_typed_path()
        return self.session.fmt is not None and not self.is_reading()

    # -- drag and drop -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.set_path(path)
