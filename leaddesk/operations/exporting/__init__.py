"""Exporting leads to CSV files and Excel workbooks: what the UI and the CLI call.

``export_leads`` writes one CSV file (export_file) in one of the ``ExportFlavour``
kinds (flavour); the general way's cells are in cells, and on SQLite the
database writes whole lines (sqlite_lines), read a chunk at a time
(sqlite_chunks). ``export_leads_xlsx`` (xlsx_file) writes the same columns as
typed cells of an .xlsx workbook, with LeadDesk's own SpreadsheetML writer
(xlsx_package); ``is_xlsx_path`` tells which one a file name asks for.
"""

from leaddesk.operations.exporting.export_file import ExportCancelled, export_headers, export_leads
from leaddesk.operations.exporting.flavour import ExportFlavour
from leaddesk.operations.exporting.xlsx_file import export_leads_xlsx, is_xlsx_path

__all__ = [
    "ExportCancelled",
    "ExportFlavour",
    "export_headers",
    "export_leads",
    "export_leads_xlsx",
    "is_xlsx_path",
]
