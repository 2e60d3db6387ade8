"""`leaddesk delete`: leads go to the trash; a bad id is one sentence and changes nothing."""

from __future__ import annotations

import json

import pytest

from leaddesk.operations.leads import create_lead, delete_leads
from tests.cli.helpers import assert_one_line_error, listing, run


def trash_ids(capsys, data_dir) -> list[int]:
    return [
        lead["id"]
        for lead in json.loads(run(capsys, "--data-dir", data_dir, "trash", "--json").out)
    ]


def test_deleted_leads_go_to_the_trash_and_say_who(capsys, ctx, data_dir):
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    bruno = create_lead(ctx, {"first_name": "Bruno"}).value
    carla = create_lead(ctx, {"first_name": "Carla"}).value

    result = run(capsys, "--data-dir", data_dir, "delete", str(anna), str(carla), str(anna))

    assert result.code == 0
    assert result.out.startswith("Moved 2 leads to the trash")
    assert [lead["id"] for lead in listing(capsys, data_dir)] == [bruno]
    trash = json.loads(run(capsys, "--data-dir", data_dir, "trash", "--json").out)
    assert sorted(lead["id"] for lead in trash) == [anna, carla]
    assert all(lead["deleted_by"] for lead in trash)


def test_an_unknown_id_is_one_sentence_and_nothing_is_deleted(capsys, ctx, data_dir):
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    result = run(capsys, "--data-dir", data_dir, "delete", str(anna), "999")
    assert assert_one_line_error(result, 2) == "leaddesk: There is no lead with id 999."
    assert [lead["id"] for lead in listing(capsys, data_dir)] == [anna]
    assert trash_ids(capsys, data_dir) == []


def test_a_lead_already_in_the_trash_is_one_sentence(capsys, ctx, data_dir):
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    delete_leads(ctx, [anna])
    result = run(capsys, "--data-dir", data_dir, "delete", str(anna))
    assert assert_one_line_error(result, 2) == (
        f"leaddesk: Lead {anna} is already in the trash (see 'leaddesk trash')."
    )


@pytest.mark.parametrize(
    ("argument", "reason"),
    [("abc", "'abc' is not an id"), ("0", "ids start at 1"), ("-3", "")],
)
def test_a_malformed_id_is_refused_by_the_parser(capsys, data_dir, argument, reason):
    result = run(capsys, "--data-dir", data_dir, "delete", "--", argument)
    message = assert_one_line_error(result, 2)
    assert reason in message


def test_delete_needs_an_id(capsys, data_dir):
    assert_one_line_error(run(capsys, "--data-dir", data_dir, "delete"), 2)
