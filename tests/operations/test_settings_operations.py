"""update_settings: one transaction, validated, announcing a settings change."""

from __future__ import annotations

import pytest

from leaddesk.errors import UserError
from leaddesk.operations.settings import update_settings
from leaddesk.storage.schema import settings as settings_table
from leaddesk.storage.settings_store import read_settings


def _stored_rows(ctx) -> dict:
    with ctx.db.reading() as connection:
        return {row.key: row.value for row in connection.execute(settings_table.select())}


def test_stores_values_and_reports_a_settings_change(ctx):
    changes = update_settings(ctx, {"sla_minutes_hot": 10, "sla_minutes_cold": 60}).changes
    assert changes.settings
    assert bool(changes)
    with ctx.db.reading() as connection:
        values = read_settings(connection)
    assert (values["sla_minutes_hot"], values["sla_minutes_cold"]) == (10, 60)


def test_a_default_value_is_stored_as_unchanged(ctx):
    update_settings(ctx, {"sla_minutes_hot": 10})
    update_settings(ctx, {"sla_minutes_hot": 5})
    assert _stored_rows(ctx) == {}


def test_nothing_changed_announces_nothing(ctx):
    assert not update_settings(ctx, {"sla_minutes_hot": 5}).changes


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"no_such_setting": 1}, "'no_such_setting' is not a LeadDesk setting."),
        (
            {"sla_minutes_hot": -1},
            "First contact deadline for hot leads (minutes) must be a whole number of zero "
            "or more.",
        ),
        (
            {"sla_minutes_warm": "soon"},
            "First contact deadline for warm leads (minutes) must be a whole number of zero "
            "or more.",
        ),
    ],
)
def test_refuses_unknown_keys_and_wrong_kinds_before_writing(ctx, values, message):
    with pytest.raises(UserError) as error:
        update_settings(ctx, {"sla_minutes_cold": 7, **values})
    assert str(error.value) == message
    assert _stored_rows(ctx) == {}
