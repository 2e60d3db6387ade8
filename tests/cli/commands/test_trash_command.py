"""`leaddesk trash` and `leaddesk restore-lead`: deleted leads, and taking them back."""

from __future__ import annotations

import json

from leaddesk.operations.leads import create_lead, delete_leads
from tests.cli.helpers import assert_one_line_error, listing, run


def test_a_deleted_lead_is_in_the_trash_until_restored(capsys, ctx, data_dir):
    anna = create_lead(ctx, {"first_name": "Anna", "company": "Nordlicht"}).value
    bruno = create_lead(ctx, {"first_name": "Bruno"}).value
    delete_leads(ctx, [anna])

    trash = json.loads(run(capsys, "--data-dir", data_dir, "trash", "--json").out)
    assert [(lead["id"], lead["name"], lead["company"]) for lead in trash] == [
        (anna, "Anna", "Nordlicht")
    ]
    assert [lead["id"] for lead in listing(capsys, data_dir)] == [bruno]

    restored = run(capsys, "--data-dir", data_dir, "restore-lead", str(anna))

    assert (restored.code, restored.out) == (0, "Restored 1 lead from the trash.\n")
    assert json.loads(run(capsys, "--data-dir", data_dir, "trash", "--json").out) == []
    assert sorted(lead["id"] for lead in listing(capsys, data_dir)) == [anna, bruno]
    assert run(capsys, "--data-dir", data_dir, "trash").out == "The trash is empty.\n"


def test_restoring_a_lead_not_in_the_trash_is_one_sentence(capsys, ctx, data_dir):
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    result = run(capsys, "--data-dir", data_dir, "restore-lead", str(anna))
    assert assert_one_line_error(result, 2) == (
        f"leaddesk: Lead {anna} is not in the trash (see 'leaddesk trash')."
    )
