"""Reading real CSV files: encodings, delimiters, header rows, line numbers, refusals."""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.csv_import.file_errors import UnusableFileError
from leaddesk.core.csv_import.reader import iter_rows, sniff

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "header_line", "first_row_start", "first_name"),
    [
        ("hubspot_contacts.csv", "utf-8", ",", 1, ["1000", "Émile", "Schäfer"], "Émile"),
        ("pipedrive_people.csv", "utf-8-sig", ",", 1, ["Mary-Jane Berg"], "Mary-Jane Berg"),
        ("salesforce_leads.csv", "utf-8", ",", 1, ["00Q5g0000000000AB", "Renée"], "Renée"),
        ("excel_de_semicolon_cp1252.csv", "cp1252", ";", 1, ["Jürgen", "Weiß"], "Jürgen"),
        ("excel_unicode_text_utf16.csv", "utf-16", "\t", 1, ["Đorđe", "Jovanović"], "Đorđe"),
        ("linkedin_connections.csv", "utf-8", ",", 4, ["Anaïs", "Lefèvre"], "Anaïs"),
        ("old_mac_cr.csv", "utf-8", ",", 1, ["Hélène", "Martin"], "Hélène"),
        ("pipe_delimited.csv", "utf-8", "|", 1, ["José", "García López"], "José"),
    ],
)
def test_real_exports_are_read_with_accents_intact(
    name: str,
    encoding: str,
    delimiter: str,
    header_line: int,
    first_row_start: list[str],
    first_name: str,
) -> None:
    fmt = sniff(FIXTURES / name)
    assert (fmt.encoding, fmt.delimiter, fmt.header_line_number) == (
        encoding,
        delimiter,
        header_line,
    )
    rows = list(iter_rows(FIXTURES / name, fmt))
    assert rows[0].values[: len(first_row_start)] == first_row_start
    assert first_name in rows[0].values
    assert all(len(row.values) == len(fmt.headers) for row in rows)


def test_linkedin_notes_paragraph_is_skipped_and_headers_found() -> None:
    fmt = sniff(FIXTURES / "linkedin_connections.csv")
    assert fmt.headers == (
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    )
    assert [row.line_number for row in iter_rows(FIXTURES / "linkedin_connections.csv", fmt)] == [
        5,
        6,
    ]


def test_embedded_newline_stays_in_its_field_and_line_numbers_follow_the_file() -> None:
    path = FIXTURES / "pipedrive_people.csv"
    rows = list(iter_rows(path, sniff(path)))
    notes = [row.values[6] for row in rows]
    assert notes[1] == "Met at the fair.\nWants a call back in March"
    # The record after the two-line note starts on line 5 of the file, not 4.
    assert [row.line_number for row in rows] == [2, 3, 5]


def test_bom_and_line_endings_are_reported() -> None:
    assert sniff(FIXTURES / "pipedrive_people.csv").has_bom
    assert not sniff(FIXTURES / "hubspot_contacts.csv").has_bom
    assert sniff(FIXTURES / "old_mac_cr.csv").line_ending == "\r"
    assert sniff(FIXTURES / "salesforce_leads.csv").line_ending == "\n"


def test_user_overrides_win(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_bytes(b"Name;Note\nAnna;a,b\n")
    assert sniff(path, delimiter=",").headers == ("Name;Note",)
    assert sniff(path, encoding="latin-1").encoding == "latin-1"


def test_excel_sep_hint_line_sets_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "hint.csv"
    path.write_bytes(b"sep=;\r\nName;Email\r\nAnna;anna@example.com\r\n")
    fmt = sniff(path)
    assert (fmt.delimiter, fmt.header_line_number, fmt.headers) == (";", 2, ("Name", "Email"))
    assert [row.values for row in iter_rows(path, fmt)] == [["Anna", "anna@example.com"]]


def test_cp1252_bytes_after_a_utf8_sample_still_read_as_letters(tmp_path: Path) -> None:
    # The first 64 KiB are plain ASCII; a Windows-1252 name comes much later.
    ascii_rows = b"".join(b"Anna,anna%d@example.com\r\n" % i for i in range(5000))
    path = tmp_path / "late.csv"
    path.write_bytes(b"Name,Email\r\n" + ascii_rows + "Jürgen,j@example.de\r\n".encode("cp1252"))
    fmt = sniff(path)
    assert fmt.encoding == "utf-8"
    assert list(iter_rows(path, fmt))[-1].values == ["Jürgen", "j@example.de"]


def test_cyrillic_windows_1251_goes_to_charset_detection(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    text = "Имя;Фамилия;Компания\r\n" + "Иван;Петров;Рога и копыта\r\n" * 30
    path.write_bytes(text.encode("cp1251"))
    fmt = sniff(path)
    assert fmt.headers == ("Имя", "Фамилия", "Компания")


@pytest.mark.parametrize(
    ("content", "message_part"),
    [
        (b"", "empty"),
        (b"\r\n\r\n  \r\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04\x14\x00[Content_Types].xml xl/workbook.xml", "Excel"),
        (b"a,b\n" + b"\x00" * 500, "binary"),
        (b"anna@example.com,Anna,Berg\nbo@example.com,Bo,Ek\n", "header"),
    ],
)
def test_unusable_files_are_refused_with_one_sentence(
    tmp_path: Path, content: bytes, message_part: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFileError) as refusal:
        sniff(path)
    message = str(refusal.value)
    assert message_part in message
    assert message.endswith(".")
    assert ". " not in message  # one sentence


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnusableFileError, match="does not exist"):
        sniff(tmp_path / "nope.csv")
    with pytest.raises(UnusableFileError, match="folder"):
        sniff(tmp_path)


def test_unclosed_quote_swallowing_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "unclosed.csv"
    path.write_bytes(b'Name,Note\nAnna,"never closed\n' + b"x" * 200_000 + b"\n")
    with pytest.raises(UnusableFileError, match="line 2"):
        list(iter_rows(path, sniff(path)))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_rows_or_a_clear_refusal(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.csv"
        path.write_bytes(content)
        refusal = ""
        try:
            fmt = sniff(path)
            rows = list(iter_rows(path, fmt))
        except UnusableFileError as error:
            refusal = str(error)
    if refusal:
        assert refusal.endswith(".")
    else:
        assert fmt.headers
        assert all(row.line_number > fmt.header_line_number for row in rows)


# Text as people type it: any character, and the line breaks and tabs of notes.
_CELL_TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\r\n\t"), max_size=8
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(_CELL_TEXT, min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_written_tables_read_back_cell_for_cell(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(["First Name", "Last Name", "Email"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        fmt = sniff(path, delimiter=delimiter)
        assert fmt.headers == ("First Name", "Last Name", "Email")
        read = [row.values for row in iter_rows(path, fmt)]
    assert read == [row for row in rows if any(row)]
