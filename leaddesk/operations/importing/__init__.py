"""Importing leads from CSV files: what the UI and the CLI call.

``import_csv`` runs one import in one transaction (import_file); the
``ImportBatchWriter`` (batch_writer) writes its chunks with a duplicate finder,
a lead updater and the import's owners; ``import_anyway`` (anyway) creates rows
it skipped, within the same import; ``undo_import`` (undo) takes an import back;
saved column mappings are in presets.
"""

from leaddesk.core.import_merge import DuplicatePolicy
from leaddesk.operations.importing.anyway import import_anyway
from leaddesk.operations.importing.import_file import (
    ImportCancelled,
    ImportOptions,
    explain_columns,
    import_csv,
    prepare_import,
)
from leaddesk.operations.importing.presets import (
    list_presets,
    preset_for_headers,
    resolve_mapping,
    save_preset,
)
from leaddesk.operations.importing.result import DuplicateAction, DuplicateRow, ImportResult
from leaddesk.operations.importing.undo import undo_import

__all__ = [
    "DuplicateAction",
    "DuplicatePolicy",
    "DuplicateRow",
    "ImportCancelled",
    "ImportOptions",
    "ImportResult",
    "explain_columns",
    "import_anyway",
    "import_csv",
    "list_presets",
    "prepare_import",
    "preset_for_headers",
    "resolve_mapping",
    "save_preset",
    "undo_import",
]
