"""Help > About as a user reads it: version, data folder, database, libraries."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import qVersion

from leaddesk import __version__
from leaddesk.ui.help.about import AboutDialog, licence_of
from tests.ui.windows import active_main_window


def _about_action(window):
    help_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Help"
    )
    return next(action for action in help_menu.actions() if "About" in action.text())


def test_help_about_shows_version_data_folder_and_database(qtbot, runner, ctx):
    window = active_main_window(qtbot, runner)

    _about_action(window).trigger()

    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "About LeadDesk"
    assert f"LeadDesk {__version__}" in dialog.title.text()
    data_dir = str(ctx.db.location.data_dir)
    assert data_dir in dialog.data_folder.text()
    assert dialog.data_folder.openExternalLinks()
    assert dialog.database.text() == ctx.db.display_url
    dialog.close()


def test_about_lists_the_bundled_libraries_with_their_licences(qtbot, tmp_path):
    dialog = AboutDialog(tmp_path, "sqlite:///leads.sqlite3")
    qtbot.addWidget(dialog)

    rows = {name: (version, licence) for name, version, licence in dialog.library_rows()}

    assert rows["Python"][1] == "PSF-2.0"
    assert rows["Qt"] == (qVersion(), "LGPL-3.0-only")
    # LeadDesk's own requirements and theirs (Mako comes with Alembic).
    for name in ("SQLAlchemy", "alembic", "phonenumbers", "PySide6_Essentials", "Mako"):
        found = [key for key in rows if key.lower().replace("-", "_") == name.lower()]
        assert found, f"{name} is not listed: {sorted(rows)}"
        version, licence = rows[found[0]]
        assert version == metadata.version(name)
        assert licence, name
        assert licence != "see its licence file", name
    # Test tools are an extra: not shipped, not listed.
    assert "pytest" not in rows


def test_licence_prefers_the_spdx_expression_and_skips_pasted_licence_texts():
    class Meta(dict):
        def get_all(self, key):
            value = self.get(key)
            return None if value is None else value if isinstance(value, list) else [value]

    assert licence_of(Meta({"License-Expression": "MIT", "License": "BSD"})) == "MIT"
    assert licence_of(Meta({"License": "Apache-2.0"})) == "Apache-2.0"
    pasted = Meta(
        {
            "License": "Copyright (c) 2024\n\nPermission is hereby granted...",
            "Classifier": ["License :: OSI Approved :: BSD License", "Framework :: Pytest"],
        }
    )
    assert licence_of(pasted) == "BSD License"
    assert licence_of(Meta({})) == "see its licence file"
