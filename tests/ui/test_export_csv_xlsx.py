"""File → Export… offers an Excel workbook beside the CSV flavours."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

import leaddesk.ui.export_csv as export_module
from leaddesk.operations.exporting import ExportFlavour
from leaddesk.ui.export_csv import XLSX, XLSX_FILTER, destination_for, export_filters
from leaddesk.ui.main_window import MainWindow


def test_the_save_dialog_offers_excel_and_every_csv_flavour() -> None:
    filters = export_filters()
    assert filters[XLSX_FILTER] == XLSX
    assert set(filters.values()) == {XLSX, *ExportFlavour}


def test_the_name_and_the_file_type_decide_the_format() -> None:
    assert destination_for(Path("leads"), XLSX) == (Path("leads.xlsx"), XLSX)
    assert destination_for(Path("leads"), ExportFlavour.UTF8) == (
        Path("leads.csv"),
        ExportFlavour.UTF8,
    )
    # A name the user typed with .xlsx is a workbook, whichever type was selected.
    assert destination_for(Path("q3.XLSX"), ExportFlavour.UTF8) == (Path("q3.XLSX"), XLSX)
    assert destination_for(Path("q3.csv"), XLSX) == (Path("q3.csv.xlsx"), XLSX)


def test_the_window_exports_a_workbook_in_the_background(
    qtbot, runner, make_lead, tmp_path, monkeypatch
) -> None:
    make_lead("Jürgen", last_name="Schäfer")
    make_lead("Maria", last_name="Gómez")
    out = tmp_path / "leads.xlsx"
    monkeypatch.setattr(export_module, "ask_destination", lambda _parent, _suggested: (out, XLSX))
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    window.export_action.trigger()

    qtbot.waitUntil(lambda: "Exported 2 leads" in window.statusBar().currentMessage(), timeout=5000)
    rows = list(CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).iter_rows())
    assert sorted(row[0] for row in rows[1:]) == ["Jürgen", "Maria"]
