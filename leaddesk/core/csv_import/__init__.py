"""CSV import and export, without Qt: reading files, mapping columns, parsing values.

- ``reader``: encoding, delimiter and header detection; streamed rows.
- ``mapping``: which column fills which lead field; name splitting; presets.
- ``values``: cell text -> typed values with reasons; whole-row parsing; merge rules.
- ``safety``: formula neutralisation for export, undone by import.
"""
