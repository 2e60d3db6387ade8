"""On SQLite the export reads whole lines written by the database (sqlite_lines.SqliteLines).

The file must be exactly what the general, column-by-column way writes (which
test_export_file.py compares byte for byte with the csv module), including for
the values that line way cannot settle itself: text holding its marks (control
characters), date-times stored in another shape; those chunks are read again
and go the general way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.exporting import ExportFlavour, export_file, export_leads
from leaddesk.operations.exporting.sqlite_lines import LineChunk
from leaddesk.operations.leads import create_lead
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.schema import follow_ups, leads

TEXT_FIELDS = [
    field.name
    for field in LEAD_FIELDS
    if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL)
]
MARKS = ["\x1d", "\x1e", "\x1f"]


def add(ctx: OperationContext, **values: Any) -> int:
    return create_lead(ctx, values).value


def set_raw(ctx: OperationContext, lead_id: int, **columns: Any) -> None:
    with ctx.db.transaction() as connection:
        connection.execute(update(leads).where(leads.c.id == lead_id).values(**columns))


def both_ways(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[bytes, bytes, int]:
    """The export by lines, the export the general way, and how many chunks were read again."""
    read_again = 0
    query = export_file.rows_query

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal read_again
        read_again += 1
        return query(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(export_file, "rows_query", counted)
        export_leads(ctx, tmp_path / "lines.csv", **options)
    with monkeypatch.context() as patch:
        patch.setattr(export_file, "choose_layout", lambda connection, columns, flavour: columns)
        export_leads(ctx, tmp_path / "general.csv", **options)
    return (
        (tmp_path / "lines.csv").read_bytes(),
        (tmp_path / "general.csv").read_bytes(),
        read_again,
    )


@pytest.mark.parametrize("flavour", list(ExportFlavour))
def test_ordinary_leads_are_written_by_lines_as_the_general_way_writes_them(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flavour: ExportFlavour
) -> None:
    add_demo_leads(ctx, 200, seed=5)
    add(ctx, first_name="=cmd", phone="+49 30 1234567", notes='\'@x\n"y";z,w', deal_value=-1)
    add(ctx, first_name="''-1", company="Acme, Inc.", job_title='He said "no"')
    lead_id = add(ctx, first_name="Ana")
    with ctx.db.transaction() as connection:
        connection.execute(
            follow_ups.insert().values(
                lead_id=lead_id,
                due_at=dt.datetime(2026, 11, 20, 9, 0, 0, 123, tzinfo=dt.UTC),
                note="Call",
                created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )
        )
        refresh_lead_times(connection, [lead_id])
    lines, general, read_again = both_ways(ctx, tmp_path, monkeypatch, flavour=flavour)
    assert lines == general
    assert read_again == 0


@pytest.mark.parametrize("mark", MARKS)
def test_text_holding_a_mark_goes_the_general_way(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mark: str
) -> None:
    add_demo_leads(ctx, 20, seed=2)
    add(ctx, first_name="Ana", notes=f"a{mark}b", company=f"{mark}=1,2")
    lines, general, read_again = both_ways(ctx, tmp_path, monkeypatch)
    assert lines == general
    assert read_again == 1


def test_text_holding_a_nul_character_is_written_whole(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import stores what a file holds, NUL included; printf would cut it.
    add(ctx, first_name="Ana", notes="a\x00b")
    lines, general, read_again = both_ways(ctx, tmp_path, monkeypatch)
    assert lines == general
    assert ",a\x00b," in lines.decode("utf-8-sig")
    assert read_again == 1


@pytest.mark.parametrize(
    "stored", ["2026-11-17", "2026-11-17 10:30:00", "2026-11-17T10:30:00+02:00"]
)
def test_a_datetime_stored_in_another_shape_goes_the_general_way(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stored: str
) -> None:
    set_raw(ctx, add(ctx, first_name="Raw"), consent_date=None)
    lead_id = add(ctx, first_name="Odd")
    with ctx.db.transaction() as connection:
        connection.exec_driver_sql(
            "UPDATE leads SET created_at = ? WHERE id = ?", (stored, lead_id)
        )
    lines, general, read_again = both_ways(ctx, tmp_path, monkeypatch)
    assert lines == general
    assert read_again == 1


def test_only_the_chunk_that_needs_it_is_read_again(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_file, "CHUNK_ROWS", 7)
    monkeypatch.setattr(export_file, "ID_BATCH", 3)
    add_demo_leads(ctx, 30, seed=3)
    add(ctx, first_name="Ana", notes="tab\x1fbed")
    add_demo_leads(ctx, 10, seed=4)
    lines, general, read_again = both_ways(ctx, tmp_path, monkeypatch)
    assert lines == general
    # One chunk of 7 leads, read again in batches of 3.
    assert read_again == 3


def test_lines_that_arrive_out_of_id_order_go_the_general_way(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite before 3.44 promises no order inside group_concat; the chunk's ids
    # prove the order, and a chunk in any other is read again.
    monkeypatch.setattr(export_file, "CHUNK_ROWS", 7)
    add_demo_leads(ctx, 20, seed=6)
    read_line_chunks = export_file.read_line_chunks

    def swapped_first_two(*args: Any, **kwargs: Any) -> Any:
        total, chunks = read_line_chunks(*args, **kwargs)

        def swapped() -> Any:
            for chunk in chunks:
                ids = chunk.ids.split(b",")
                lines = chunk.text.split(b"\x1e")
                ids[0], ids[1] = ids[1], ids[0]
                lines[0], lines[1] = lines[1], lines[0]
                yield LineChunk(chunk.count, b",".join(ids), b"\x1e".join(lines))

        return total, swapped()

    monkeypatch.setattr(export_file, "read_line_chunks", swapped_first_two)
    lines, general, read_again = both_ways(ctx, tmp_path, monkeypatch)
    assert lines == general
    assert read_again == 3


_characters = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_text = st.one_of(
    st.none(),
    st.text(_characters, max_size=30).map(str.strip).filter(bool),
    st.builds(
        lambda prefix, body: prefix + body,
        st.sampled_from(["=", "+", "-", "@", "'", "''=", "'+", '"', "\t", "\x1c", *MARKS]),
        st.text(_characters, max_size=10),
    )
    .map(str.strip)
    .filter(bool),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.lists(
        st.fixed_dictionaries(dict.fromkeys(TEXT_FIELDS, _text)), min_size=1, max_size=4
    ),
    flavour=st.sampled_from(list(ExportFlavour)),
)
def test_any_text_is_written_by_lines_as_the_general_way_writes_it(
    ctx: OperationContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    texts: list[dict[str, str | None]],
    flavour: ExportFlavour,
) -> None:
    lead_ids = [
        add(ctx, **{**values, "first_name": values["first_name"] or "X"}) for values in texts
    ]
    lines, general, _read_again = both_ways(
        ctx, tmp_path, monkeypatch, lead_ids=lead_ids, flavour=flavour
    )
    assert lines == general
