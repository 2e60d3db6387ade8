"""Who owns imported leads: the file's owner column, else "me" (Settings → Team)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy, ImportOptions, import_csv, undo_import
from leaddesk.operations.owners import introduce_myself
from leaddesk.storage.schema import leads, owners


def _owners_by_first_name(ctx: OperationContext) -> dict[str, str | None]:
    query = select(leads.c.first_name, owners.c.name).select_from(
        leads.outerjoin(owners, leads.c.owner_id == owners.c.id)
    )
    with ctx.db.reading() as connection:
        return {row.first_name: row.name for row in connection.execute(query)}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_without_an_owner_go_to_me_and_named_owners_stay(
    ctx: OperationContext, tmp_path: Path
) -> None:
    introduce_myself(ctx, "Sam Seller")
    path = _write(
        tmp_path / "leads.csv",
        "First Name,Last Name,Email,Contact owner\n"
        "Anna,Schäfer,anna@acme.example,\n"
        "Jürgen,Weiß,juergen@nordlicht.example,Priya Patel\n",
    )

    result = import_csv(ctx, path, ImportOptions(policy=DuplicatePolicy.SKIP))

    assert result.created == 2
    assert _owners_by_first_name(ctx) == {"Anna": "Sam Seller", "Jürgen": "Priya Patel"}


def test_a_file_with_no_owner_column_is_mine(ctx: OperationContext, tmp_path: Path) -> None:
    introduce_myself(ctx, "Sam Seller")
    path = _write(tmp_path / "plain.csv", "Name,Email\nAnna Schäfer,anna@acme.example\n")

    import_csv(ctx, path, ImportOptions())

    assert _owners_by_first_name(ctx) == {"Anna": "Sam Seller"}


def test_without_me_imported_leads_keep_no_owner(ctx: OperationContext, tmp_path: Path) -> None:
    path = _write(tmp_path / "plain.csv", "Name,Email\nAnna Schäfer,anna@acme.example\n")

    import_csv(ctx, path, ImportOptions())

    assert _owners_by_first_name(ctx) == {"Anna": None}


def test_an_import_that_adds_team_members_says_so_and_its_undo_too(
    ctx: OperationContext, tmp_path: Path
) -> None:
    # Owner lists (the lead form, Settings → Team) read the team again on a
    # settings change; an import adding members, or undoing that, is one.
    introduce_myself(ctx, "Sam Seller")
    known = _write(
        tmp_path / "known.csv", "First Name,Email,Contact owner\nAnna,anna@a.example,Sam Seller\n"
    )
    assert not import_csv(ctx, known, ImportOptions()).changes.settings

    new = _write(
        tmp_path / "new.csv", "First Name,Email,Contact owner\nJürgen,j@n.example,Priya Patel\n"
    )
    result = import_csv(ctx, new, ImportOptions())
    assert result.changes.settings
    assert result.batch_id is not None

    undone = undo_import(ctx, result.batch_id).changes
    assert undone.settings
    with ctx.db.reading() as connection:
        assert set(connection.execute(select(owners.c.name)).scalars()) == {"Sam Seller"}
