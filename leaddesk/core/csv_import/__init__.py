"""CSV import and export, without Qt: reading files, mapping columns, parsing values.

- ``reader``: encoding, delimiter and header detection; streamed rows.
- ``mapping``: which column fills which lead field; name splitting; presets.
- ``values``: what the cell parsers share (``CellValueError``, ``FieldValue``); the parsers
  are ``value_dates``, ``value_numbers``, ``value_labels`` (with the merge rules) and
  ``value_contacts`` (email, phone).
- ``row_parser``: ``RowParser``, whole rows and chunks of rows -> lead values.
- ``safety``: formula neutralisation for export, undone by import.
"""
