"""Help > About: the version, where the data lives, and the libraries inside LeadDesk.

The library list is read from the installed packages' metadata, starting at
LeadDesk's own requirements and following theirs, so it names what is really
installed (or frozen into the bundle: the spec copies that metadata along) and
never goes stale beside pyproject.toml.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk import __version__

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_CLASSIFIER = "License :: OSI Approved :: "


@dataclass(frozen=True, slots=True)
class Library:
    name: str
    version: str
    licence: str


def licence_of(meta: metadata.PackageMetadata) -> str:
    """A short licence name: the SPDX expression, else the License field, else classifiers."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    # Some packages paste their whole licence text into this field.
    if field and "\n" not in field and len(field) <= 60:
        return field
    classifiers = [
        entry.removeprefix(_CLASSIFIER)
        for entry in meta.get_all("Classifier") or []
        if entry.startswith(_CLASSIFIER)
    ]
    return " / ".join(classifiers) or "see its licence file"


def _field(meta: metadata.PackageMetadata, key: str) -> str:
    values = meta.get_all(key) or []
    return str(values[0]).strip() if values else ""


def _requirement_names(distribution: str) -> list[str]:
    names = []
    for requirement in metadata.requires(distribution) or []:
        if "extra ==" in requirement.replace("'", '"').replace('"', ""):
            continue  # optional extras (test tools, PyInstaller) are not shipped
        found = _NAME.match(requirement)
        if found:
            names.append(found.group(1))
    return names


def bundled_libraries() -> list[Library]:
    """Python, Qt and every installed library LeadDesk needs, directly or not."""
    libraries = {
        "python": Library("Python", platform.python_version(), "PSF-2.0"),
        "qt": Library("Qt", qVersion(), "LGPL-3.0-only"),
    }
    try:
        pending = _requirement_names("leaddesk")
    except metadata.PackageNotFoundError:  # a source checkout that was never installed
        pending = []
    while pending:
        name = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in libraries:
            continue
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform
        libraries[key] = Library(meta["Name"], meta["Version"], licence_of(meta))
        pending.extend(_requirement_names(name))
    first = [libraries.pop("python"), libraries.pop("qt")]
    return first + sorted(libraries.values(), key=lambda library: library.name.lower())


class AboutDialog(QDialog):
    """What a user or a support person asks first: which version, which data."""

    def __init__(self, data_dir: Path, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About LeadDesk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)

        self.title = QLabel(f"<h2>LeadDesk {__version__}</h2>")
        layout.addWidget(self.title)
        layout.addWidget(QLabel("An offline lead tracker for small sales teams."))

        facts = QFormLayout()
        folder_url = QUrl.fromLocalFile(str(data_dir)).toString()
        # A link: clicking it opens the folder in the file manager.
        self.data_folder = QLabel(f'<a href="{folder_url}">{_escape(str(data_dir))}</a>')
        self.data_folder.setOpenExternalLinks(True)
        self.data_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.database = QLabel(_escape(database))
        self.database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.addRow("Data folder:", self.data_folder)
        facts.addRow("Database:", self.database)
        layout.addLayout(facts)

        layout.addWidget(QLabel("Libraries inside LeadDesk and their licences:"))
        self.libraries = _library_table(bundled_libraries())
        layout.addWidget(self.libraries)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 480)

    def library_rows(self) -> list[tuple[str, str, str]]:
        """The table as the user reads it: (library, version, licence) per row."""
        return [
            (
                _text(self.libraries.item(row, 0)),
                _text(self.libraries.item(row, 1)),
                _text(self.libraries.item(row, 2)),
            )
            for row in range(self.libraries.rowCount())
        ]


def _library_table(libraries: list[Library]) -> QTableWidget:
    table = QTableWidget(len(libraries), 3)
    table.setHorizontalHeaderLabels(["Library", "Version", "Licence"])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    for row, library in enumerate(libraries):
        for column, text in enumerate((library.name, library.version, library.licence)):
            table.setItem(row, column, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    return table


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
