"""Exporting leads to CSV files: what the UI and the CLI call.

``export_leads`` writes one file (export_file) in one of the ``ExportFlavour``
kinds (flavour); the general way's cells are in cells, and on SQLite the
database writes whole lines (sqlite_lines), read a chunk at a time
(sqlite_chunks).
"""

from leaddesk.operations.exporting.export_file import ExportCancelled, export_headers, export_leads
from leaddesk.operations.exporting.flavour import ExportFlavour

__all__ = ["ExportCancelled", "ExportFlavour", "export_headers", "export_leads"]
