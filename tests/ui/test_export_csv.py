"""File → Export CSV… from the window: filter or selection, in the background."""

from __future__ import annotations

import csv

import leaddesk.ui.export_csv as export_module
from leaddesk.operations.exporting import ExportFlavour
from leaddesk.ui.main_window import MainWindow


def _window(qtbot, runner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _names(path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return sorted(row["First name"] for row in csv.DictReader(stream))


def test_export_writes_the_leads_the_search_shows(qtbot, runner, make_lead, tmp_path, monkeypatch):
    make_lead("Jürgen", last_name="Schäfer")
    make_lead("Maria", last_name="Gómez")
    out = tmp_path / "leads.csv"
    monkeypatch.setattr(
        export_module, "ask_destination", lambda _parent, _suggested: (out, ExportFlavour.UTF8)
    )
    window = _window(qtbot, runner)
    qtbot.keyClicks(window.search, "schaf")
    window.apply_search()

    window.export_action.trigger()

    qtbot.waitUntil(lambda: "Exported 1 lead" in window.statusBar().currentMessage(), timeout=5000)
    assert _names(out) == ["Jürgen"]
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")  # plain UTF-8 as chosen


def test_export_selected_writes_only_the_selection(qtbot, runner, make_lead, tmp_path, monkeypatch):
    make_lead("Ada")
    chosen = make_lead("Bo")
    out = tmp_path / "selected.csv"
    monkeypatch.setattr(
        export_module,
        "ask_destination",
        lambda _parent, _suggested: (out, ExportFlavour.EXCEL_UTF8),
    )
    window = _window(qtbot, runner)
    window.board.select_lead(chosen)

    window.export_selected_action.trigger()

    qtbot.waitUntil(lambda: out.exists() and "Exported" in window.statusBar().currentMessage())
    assert _names(out) == ["Bo"]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_selected_without_a_selection_says_so(qtbot, runner, make_lead, monkeypatch):
    make_lead("Ada")
    asked: list[object] = []
    monkeypatch.setattr(export_module, "ask_destination", lambda *args: asked.append(args))
    window = _window(qtbot, runner)
    window.export_selected_action.trigger()
    assert asked == []
    assert "Select the cards" in window.statusBar().currentMessage()


def test_export_to_an_unwritable_place_reports_and_writes_nothing(
    qtbot, runner, make_lead, tmp_path, monkeypatch
):
    make_lead("Ada")
    out = tmp_path / "missing-folder" / "leads.csv"
    monkeypatch.setattr(
        export_module, "ask_destination", lambda _parent, _suggested: (out, ExportFlavour.UTF8)
    )
    warnings: list[str] = []
    monkeypatch.setattr(
        export_module.QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text)
    )
    window = _window(qtbot, runner)
    window.export_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings))
    assert "missing-folder" in warnings[0]
    assert not out.exists()
