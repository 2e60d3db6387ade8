"""The CSV import wizard (issue 3, step 5).

- ``session``: the file, how it is read, its first rows, the mapping (no widgets).
- ``preview_model``: those rows as they will be imported, problems highlighted.
- ``*_page``: one module per step; ``mapping_editor``: the per-column combos.
- ``worker``: ``import_csv`` on a worker thread, reporting through signals.
- ``wizard``: the pages put together; ``screenshot``: the mapping step as an image.
- ``duplicates_model``: the result page's rows matched to a lead, and why.
- ``history_dialog``: File → Import history…, past imports with Undo.
"""

from leaddesk.ui.import_wizard.wizard import ImportWizard, Step

__all__ = ["ImportWizard", "Step"]
