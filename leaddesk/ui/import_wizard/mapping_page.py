"""Step 3: which column fills which field, with a live preview of the first rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.core.csv_import.mapping_presets import MappingPreset, apply_preset, header_signature
from leaddesk.core.csv_import.targets import REPEATABLE_TARGETS
from leaddesk.ui.import_wizard.mapping_editor import MappingEditor
from leaddesk.ui.import_wizard.preview_model import ImportPreviewModel
from leaddesk.ui.import_wizard.session import (
    NO_IDENTITY_MESSAGE,
    PREVIEW_ROWS,
    TARGET_LABELS,
    ImportSession,
    identifies_leads,
    preview_fields,
)
from leaddesk.ui.import_wizard.widgets import MessageLine
from leaddesk.ui.runner import OperationRunner

MAX_COLUMN_WIDTH = 240
SUGGESTED = "Suggested for these columns"


def preview_summary(rows: int, rejected: int, warnings: int, noted: int = 0) -> str:
    """'Of the first 50 rows, 2 would be rejected and 1 imported with a warning.'"""
    if rows == 0:
        return "The file has no rows below its header."
    first = f"the first {rows} rows" if rows >= PREVIEW_ROWS else f"the {rows} rows"
    if not rejected and not warnings and not noted:
        return f"All of {first} can be imported."
    parts = []
    if rejected:
        parts.append(f"{rejected} would be rejected")
    if noted:
        parts.append(f"{noted} imported with a note")
    if warnings:
        parts.append(f"{warnings} imported with a warning")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return (
        f"Of {first}, {listed}. "
        "Tinted cells could not be read as they are: point at one for the reason."
    )


class MappingPage(QWizardPage):
    def __init__(
        self, session: ImportSession, runner: OperationRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.presets: list[MappingPreset] = []
        self.setTitle("Match columns to lead fields")
        self.setSubTitle(
            "Choose what each column of the file fills. The preview below shows the first "
            f"{PREVIEW_ROWS} rows as they will be imported."
        )

        self.start_from = QComboBox()
        self.start_from.setObjectName("startFrom")
        self.start_from.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.start_from_label = QLabel("Start &from:")
        self.start_from_label.setBuddy(self.start_from)
        self.save_button = QPushButton("Save mapping &as…")
        self.save_button.setToolTip(
            "Save this mapping; it is offered again for files with these columns"
        )
        self.save_button.clicked.connect(self.save_mapping)
        top = QHBoxLayout()
        top.addWidget(self.start_from_label)
        top.addWidget(self.start_from)
        top.addStretch(1)
        top.addWidget(self.save_button)

        self.editor = MappingEditor()
        self.editor.target_chosen.connect(self.choose_target)

        self.model = ImportPreviewModel(self)
        self.preview = QTableView()
        self.preview.setObjectName("importPreview")
        self.preview.setModel(self.model)
        self.preview.setAccessibleName("Preview of the import")
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.preview.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.preview.fontMetrics().height() + 8)
        self.preview.horizontalHeader().setHighlightSections(False)
        self.model.set_palette(self.preview.palette())

        self.message = MessageLine()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)

        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview, 1)
        preview_layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(preview_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.note)

        self.start_from.activated.connect(self._start_from_chosen)

    # -- wizard --------------------------------------------------------------

    def initializePage(self) -> None:
        from leaddesk.operations.importing import list_presets

        fmt = self.session.fmt
        assert fmt is not None
        self.presets = self.runner.read(list_presets) or []
        if self.session.mapping is None or self.session.mapping.headers != fmt.headers:
            self.session.mapping, self.session.preset_name = self.session.initial_mapping(
                self.presets
            )
        self.editor.build(
            fmt.headers, [self.session.samples(column) for column in range(len(fmt.headers))]
        )
        self._fill_start_from()
        self.note.clear()
        self.refresh()
        self._share_space()
        if self.editor.combos:
            self.editor.combos[0].setFocus()

    def isComplete(self) -> bool:
        mapping = self.session.mapping
        return mapping is not None and identifies_leads(mapping)

    # -- choices -------------------------------------------------------------

    def choose_target(self, column: int, target: str | None) -> None:
        """Map ``column`` to ``target``; a column that filled it before is ignored."""
        mapping = self.session.mapping
        assert mapping is not None
        displaced = (
            mapping.column_of(target)
            if target is not None and target not in REPEATABLE_TARGETS
            else None
        )
        self.session.mapping = mapping.with_target(column, target)
        self.session.preset_name = None
        if displaced is not None and displaced != column:
            self.note.setText(
                f"“{TARGET_LABELS[target]}” now comes from “{mapping.headers[column]}”; "
                f"the column “{mapping.headers[displaced]}” is ignored."
            )
        else:
            self.note.clear()
        self.refresh()

    def _fill_start_from(self) -> None:
        fmt = self.session.fmt
        assert fmt is not None
        signature = header_signature(fmt.headers)
        self.start_from.clear()
        self.start_from.addItem(SUGGESTED, None)
        # Presets made for these very columns first: they are the likely choice.
        ordered = sorted(self.presets, key=lambda preset: preset.signature != signature)
        for preset in ordered:
            suffix = " (made for these columns)" if preset.signature == signature else ""
            self.start_from.addItem(f"Saved mapping “{preset.name}”{suffix}", preset)
        index = next(
            (
                i
                for i in range(1, self.start_from.count())
                if self.start_from.itemData(i).name == self.session.preset_name
            ),
            0,
        )
        self.start_from.setCurrentIndex(index)
        has_presets = bool(self.presets)
        self.start_from.setVisible(has_presets)
        self.start_from_label.setVisible(has_presets)

    def _start_from_chosen(self, index: int) -> None:
        fmt = self.session.fmt
        assert fmt is not None
        preset = self.start_from.itemData(index)
        if isinstance(preset, MappingPreset):
            self.session.mapping = apply_preset(preset, fmt.headers)
            self.session.preset_name = preset.name
        else:
            self.session.mapping = self.session.suggested_mapping()
            self.session.preset_name = None
        self.note.clear()
        self.refresh()

    def ask_preset_name(self) -> str | None:
        """The name to save under, or None if the user cancelled (replaceable in tests)."""
        default = self.session.preset_name or (self.session.path.stem if self.session.path else "")
        name, accepted = QInputDialog.getText(
            self, "Save mapping", "Name for this mapping:", QLineEdit.EchoMode.Normal, default
        )
        return name.strip() if accepted and name.strip() else None

    def save_mapping(self) -> None:
        from leaddesk.operations.importing import list_presets, save_preset

        mapping = self.session.mapping
        name = self.ask_preset_name() if mapping is not None else None
        if mapping is None or name is None:
            return
        if self.runner.run(save_preset, name, mapping) is None:
            return
        self.presets = self.runner.read(list_presets) or []
        self.session.preset_name = name
        self._fill_start_from()
        self.note.setText(f"Saved as “{name}”; it will be offered for files with these columns.")

    # -- showing the state -----------------------------------------------------

    def refresh(self) -> None:
        mapping: ColumnMapping | None = self.session.mapping
        if mapping is None:
            return
        self.editor.show_mapping(mapping, self.session.column_reasons(mapping))
        rows = self.session.preview(mapping)
        self.model.set_rows(preview_fields(mapping), rows)
        self._size_columns()
        if identifies_leads(mapping):
            self.message.clear()
            self.summary.setText(
                preview_summary(
                    len(rows),
                    self.model.rejected_count(),
                    self.model.warning_count(),
                    self.model.noted_count(),
                )
            )
        else:
            self.message.show_error(NO_IDENTITY_MESSAGE)
            self.summary.clear()
        self.completeChanged.emit()

    def _share_space(self) -> None:
        """The preview takes what its rows need, up to half; the columns get the rest."""
        total = self.splitter.height() - self.splitter.handleWidth()
        rows = min(self.model.rowCount(), 12)
        wanted = (
            self.preview.horizontalHeader().sizeHint().height()
            + max(rows, 3) * self.preview.verticalHeader().defaultSectionSize()
            + self.preview.horizontalScrollBar().sizeHint().height()
            + 2 * self.preview.frameWidth()
            + self.summary.sizeHint().height()
            + 8
        )
        if total <= 0:
            self.splitter.setSizes([11, 9])  # not laid out yet: proportions
        else:
            preview = min(wanted, total // 2)
            self.splitter.setSizes([total - preview, preview])

    def _size_columns(self) -> None:
        header = self.preview.horizontalHeader()
        self.preview.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if header.sectionSize(column) > MAX_COLUMN_WIDTH:
                header.resizeSection(column, MAX_COLUMN_WIDTH)
