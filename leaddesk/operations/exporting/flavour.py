"""The kinds of CSV file the export writes: encoding, delimiter, decimal mark.

Part of the export (leaddesk.operations.exporting, which re-exports ``ExportFlavour``).
"""

from __future__ import annotations

from enum import StrEnum

LINE_END = "\r\n"  # what Excel itself writes
QUOTE = '"'


class ExportFlavour(StrEnum):
    """How the file is encoded and separated, for the program that will open it."""

    EXCEL_UTF8 = "excel-utf8"
    """UTF-8 with a byte-order mark, commas: Excel shows accents right."""
    UTF8 = "utf8"
    """Plain UTF-8, commas: for other programs and scripts."""
    EXCEL_EUROPE = "excel-europe"
    """UTF-8 with a byte-order mark, semicolons, decimal commas: Excel in European locales."""

    @property
    def label(self) -> str:
        return _FLAVOUR_LABELS[self]

    @property
    def encoding(self) -> str:
        # "utf-8-sig" writes the byte-order mark that makes Excel read UTF-8.
        return "utf-8" if self is ExportFlavour.UTF8 else "utf-8-sig"

    @property
    def delimiter(self) -> str:
        return ";" if self is ExportFlavour.EXCEL_EUROPE else ","

    @property
    def decimal_mark(self) -> str:
        # Where Excel expects semicolons it reads "1234,50" as a number.
        return "," if self is ExportFlavour.EXCEL_EUROPE else "."


_FLAVOUR_LABELS = {
    ExportFlavour.EXCEL_UTF8: "Excel (UTF-8, comma-separated)",
    ExportFlavour.UTF8: "Plain UTF-8 (comma-separated)",
    ExportFlavour.EXCEL_EUROPE: "Excel, European settings (semicolon-separated)",
}
