"""Step 2: how the file is read. Detected, shown, and changeable.

Changing a setting reads the file again with that setting imposed; the others
are detected afresh (except those the user chose), and the first lines of the
file are shown with the header row highlighted, so a wrong guess is visible.
"""

from __future__ import annotations

import codecs

from PySide6.QtGui import QFontDatabase, QPalette, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from leaddesk.core.csv_import.reader import CsvFormat
from leaddesk.ui.import_wizard.file_page import describe_format
from leaddesk.ui.import_wizard.session import (
    DELIMITERS,
    ENCODINGS,
    ImportSession,
    encoding_label,
)
from leaddesk.ui.import_wizard.widgets import MessageLine


def _same_codec(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return a == b


class SettingsPage(QWizardPage):
    def __init__(self, session: ImportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle("Check how the file is read")
        self.setSubTitle(
            "These settings were detected. If names show odd characters or the columns "
            "look wrong, change them here."
        )

        self.encoding = QComboBox()
        self.encoding.setObjectName("encoding")
        for codec, label in ENCODINGS:
            self.encoding.addItem(label, codec)
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("delimiter")
        for char, label in DELIMITERS:
            self.delimiter.addItem(label, char)
        self.header_line = QSpinBox()
        self.header_line.setObjectName("headerLine")
        self.header_line.setRange(1, 999)
        self.header_line.setKeyboardTracking(False)  # typing "12" must not try line 1 first
        self.detect_button = QPushButton("&Detect again")
        self.detect_button.setToolTip("Forget the settings chosen here and detect them again")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Encoding:", self.encoding)
        form.addRow("Column &separator:", self.delimiter)
        header_row = QHBoxLayout()
        header_row.addWidget(self.header_line)
        header_row.addStretch(1)
        header_row.addWidget(self.detect_button)
        header_label = QLabel("&Header row (line):")
        header_label.setBuddy(self.header_line)
        form.addRow(header_label, header_row)

        self.message = MessageLine()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.columns = QLabel()
        self.columns.setWordWrap(True)
        self.raw = QPlainTextEdit()
        self.raw.setObjectName("rawLines")
        self.raw.setReadOnly(True)
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setAccessibleName("First lines of the file")
        raw_label = QLabel("First &lines of the file (the header row is highlighted):")
        raw_label.setBuddy(self.raw)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.columns)
        layout.addWidget(raw_label)
        layout.addWidget(self.raw, 1)

        self.encoding.activated.connect(self._encoding_chosen)
        self.delimiter.activated.connect(self._delimiter_chosen)
        self.header_line.valueChanged.connect(self._header_chosen)
        self.detect_button.clicked.connect(self._detect_again)

    def initializePage(self) -> None:
        self.refresh()

    def isComplete(self) -> bool:
        return self.session.fmt is not None

    # -- user choices ----------------------------------------------------------

    def _encoding_chosen(self, index: int) -> None:
        self.session.override(encoding=self.encoding.itemData(index))
        self.refresh()

    def _delimiter_chosen(self, index: int) -> None:
        self.session.override(delimiter=self.delimiter.itemData(index))
        self.refresh()

    def _header_chosen(self, line: int) -> None:
        fmt = self.session.fmt
        if fmt is None or fmt.header_line_number != line:
            self.session.override(header_line_number=line)
            self.refresh()

    def _detect_again(self) -> None:
        if self.session.path is not None:
            self.session.open(self.session.path)
        self.refresh()

    # -- showing the state -----------------------------------------------------

    def refresh(self) -> None:
        fmt = self.session.fmt
        for widget in (self.encoding, self.delimiter, self.header_line):
            widget.blockSignals(True)
        # A workbook has no encoding or separator (the wizard skips this page for one).
        if isinstance(fmt, CsvFormat):
            self._select_encoding(fmt.encoding)
            self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(fmt.delimiter)))
            self.header_line.setValue(fmt.header_line_number)
        for widget in (self.encoding, self.delimiter, self.header_line):
            widget.blockSignals(False)

        if fmt is None:
            self.message.show_error(self.session.error or "The file cannot be read this way.")
            self.summary.clear()
            self.columns.clear()
        else:
            self.message.clear()
            self.summary.setText(describe_format(self.session))
            self.columns.setText("Columns: " + " · ".join(fmt.headers))
        self._show_raw_lines()
        self.completeChanged.emit()

    def _select_encoding(self, encoding: str) -> None:
        for index in range(self.encoding.count()):
            if _same_codec(self.encoding.itemData(index), encoding):
                self.encoding.setCurrentIndex(index)
                return
        self.encoding.addItem(encoding_label(encoding), encoding)
        self.encoding.setCurrentIndex(self.encoding.count() - 1)

    def _show_raw_lines(self) -> None:
        lines = self.session.raw_lines()
        width = len(str(len(lines)))
        self.raw.setPlainText(
            "\n".join(f"{number:>{width}}  {line}" for number, line in enumerate(lines, 1))
        )
        fmt = self.session.fmt
        if fmt is None or not 1 <= fmt.header_line_number <= len(lines):
            self.raw.setExtraSelections([])
            return
        block = self.raw.document().findBlockByNumber(fmt.header_line_number - 1)
        selection = QTextEdit.ExtraSelection()
        text_format = QTextCharFormat()
        text_format.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
        text_format.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
        text_format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.format = text_format
        cursor = QTextCursor(block)
        selection.cursor = cursor
        self.raw.setExtraSelections([selection])
