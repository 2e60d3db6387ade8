"""LeadDesk's own .xlsx writer: a package every reader opens, text that comes back as written.

Workbooks are written here with the package alone (no database) and read back
with python-calamine, the reader of LeadDesk's import, and as XML.
"""

from __future__ import annotations

import io
import threading
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from leaddesk.operations.exporting.xlsx_package import (
    MAX_CELL_UNITS,
    SheetPackage,
    bool_cells,
    column_letters,
    cut_to_excel_limit,
    escape_text,
    number_cells,
    row_numbers,
    rows_xml,
    text_cells,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def write_sheet(
    path: Path, headers: list[str], columns: list[list[Any]], kinds: list[str], chunk: int = 3
) -> None:
    """A workbook of ``columns`` (text, number or bool each), written ``chunk`` rows at a time."""
    count = len(columns[0]) if columns else 0
    with open(path, "xb") as stream:
        package = SheetPackage(stream, "Leads", headers)
        package.start([10] * len(headers), count)
        for first in range(0, count, chunk):
            numbers = row_numbers(first + 2, min(chunk, count - first))
            cells = []
            for index, (values, kind) in enumerate(zip(columns, kinds, strict=True)):
                part = values[first : first + chunk]
                if kind == "text":
                    cells.append(text_cells(index, part, numbers))
                elif kind == "bool":
                    cells.append(bool_cells(index, part, numbers))
                else:
                    cells.append(number_cells(index, part, numbers))
            package.write_rows(rows_xml(first + 2, cells, len(numbers)), len(numbers))
        package.finish()


def read_back(path: Path) -> list[list[Any]]:
    return list(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())


def test_every_part_is_well_formed_xml_and_the_package_is_complete(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_sheet(
        path,
        ["Name & <Co>", "Size", "Paid"],
        [["Ana", "a & b", None, "<x>"], ["1", None, "2.5", "-3"], [True, False, None, 1]],
        ["text", "number", "bool"],
    )
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        assert names == {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        }
        for name in names:
            ET.fromstring(package.read(name))  # raises on a part that is not XML
        sheet = ET.fromstring(package.read("xl/worksheets/sheet1.xml"))
        workbook = package.read("xl/workbook.xml").decode()
    assert sheet.find(f"{MAIN}autoFilter").attrib == {"ref": "A1:C5"}  # type: ignore[union-attr]
    assert sheet.find(f"{MAIN}dimension").attrib == {"ref": "A1:C5"}  # type: ignore[union-attr]
    pane = sheet.find(f"{MAIN}sheetViews/{MAIN}sheetView/{MAIN}pane")
    assert pane is not None
    assert pane.attrib["state"] == "frozen"
    assert "Leads!$A$1:$C$5" in workbook  # the range Excel's filter works on
    assert read_back(path) == [
        ["Name & <Co>", "Size", "Paid"],
        ["Ana", 1.0, True],
        ["a & b", "", False],
        ["", 2.5, ""],
        ["<x>", -3.0, True],
    ]


def test_an_empty_sheet_keeps_its_header_and_a_filter(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_sheet(path, ["A", "B"], [[], []], ["text", "text"])
    assert read_back(path) == [["A", "B"]]
    with zipfile.ZipFile(path) as package:
        assert b'<autoFilter ref="A1:B2"/>' in package.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (37, "AL"), (16383, "XFD")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letters(index) == letters


def test_characters_xml_cannot_hold_are_written_as_excel_does_or_dropped() -> None:
    assert escape_text("a\x07b\rc") == ("a_x0007_b_x000D_c", False)
    # Excel's escape typed as text keeps its meaning: its underscore is escaped.
    assert escape_text("_x0041_") == ("_x005F_x0041_", False)
    # No reader gives these back: dropped.
    assert escape_text("x\ufffey\uffffz\ud800") == ("xyz", False)
    assert escape_text("<a href='x'>&</a>") == ("&lt;a href='x'&gt;&amp;&lt;/a&gt;", False)
    assert escape_text(" padded\n") == (" padded\n", True)


def test_a_text_is_cut_at_excels_limit_in_utf16_units_never_inside_a_pair() -> None:
    assert cut_to_excel_limit("z" * 40_000) == "z" * MAX_CELL_UNITS
    emoji = "😀"  # two UTF-16 units
    cut = cut_to_excel_limit("é" * 32_760 + emoji * 10)
    assert cut == "é" * 32_760 + emoji * 3  # a fourth would need units 32,767 and 32,768
    assert cut_to_excel_limit("y" * MAX_CELL_UNITS) == "y" * MAX_CELL_UNITS


def expected(text: str) -> str:
    """What a cell of ``text`` reads back as: cut at Excel's limit, unreadable characters gone."""
    cut = cut_to_excel_limit(text)
    return "".join(c for c in cut if not ("\ud800" <= c <= "\udfff" or c in "\ufffe\uffff"))


_any_text = st.text(st.characters(codec="utf-8", exclude_characters="\ufffe\uffff"), max_size=40)
_awkward_text = st.one_of(
    _any_text,
    st.builds(
        lambda start, rest: start + rest,
        st.sampled_from(["=", "+", "-", "@", "'", " ", "\t", "\n", "_x0041_", "&", "\x00"]),
        _any_text,
    ),
    # Around Excel's limit: a long run of one character, with anything at its end.
    st.builds(
        lambda character, length, tail: character * length + tail,
        st.sampled_from(["a", "é", "😀", "&", "\x01"]),
        st.integers(16_000, 33_000),
        _any_text,
    ),
)


@settings(max_examples=40)
@given(texts=st.lists(_awkward_text, min_size=1, max_size=5))
def test_any_text_reads_back_as_written(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    path = tmp_path_factory.mktemp("any") / "text.xlsx"
    write_sheet(path, ["Text"], [texts], ["text"], chunk=2)
    cells = [row[0] for row in read_back(path)[1:]]
    # calamine ends the sheet at its last filled row.
    assert cells == [expected(text) for text in texts][: len(cells)]
    assert all(expected(text) == "" for text in texts[len(cells) :])


def test_abandoning_stops_the_helper_thread_and_closes_the_package(tmp_path: Path) -> None:
    stream = io.BytesIO()
    package = SheetPackage(stream, "Leads", ["A"])
    package.start([10], 1)
    package.write_rows(rows_xml(2, [text_cells(0, ["x"], ["2"])], 1), 1)
    package.abandon()
    assert not [thread for thread in threading.enumerate() if "leaddesk-xlsx" in thread.name]
