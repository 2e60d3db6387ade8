"""CSV import and export, without Qt: reading files, mapping columns, parsing values.

- ``reader``: encoding, delimiter and header detection; streamed rows.
  ``encoding_detection`` guesses the encoding, ``bounded_lines`` reads lines under the
  cell-size limit, ``file_errors`` holds ``UnusableFileError`` and its sentences.
- ``mapping``: which column fills which lead field (``ColumnMapping``, ``suggest_mapping``),
  from the headers ``header_synonyms`` knows and the values ``column_values`` confirms;
  ``mapping_explanation`` says why; ``mapping_presets`` saves and reapplies a mapping;
  ``targets`` names what a column can fill; ``export_headers`` recognises our own export.
- ``full_names``: a whole name split into first and last name.
- ``values``: what the cell parsers share (``CellValueError``, ``FieldValue``); the parsers
  are ``value_dates``, ``value_numbers``, ``value_labels`` (with the merge rules) and
  ``value_contacts`` (email, phone).
- ``row_parser``: ``RowParser``, whole rows and chunks of rows -> lead values.
- ``safety``: formula neutralisation for export, undone by import.
"""
