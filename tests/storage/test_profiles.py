"""The fields progressive profiling looks at, read for many leads at once."""

from __future__ import annotations

from leaddesk.core.profiling import KEY_FIELDS
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage.profiles import card_completeness, profile_values


def test_profile_values_are_the_key_fields_as_stored(ctx: OperationContext) -> None:
    lead = create_lead(ctx, {"first_name": "Ada", "deal_value": 500, "temperature": "hot"}).value
    with ctx.db.reading() as connection:
        values = profile_values(connection, [lead, 9_999])
        completeness = card_completeness(connection, [lead])

    assert list(values) == [lead]
    key_names = {name for names in KEY_FIELDS.values() for name in names}
    assert set(values[lead]) == key_names | {"disqualification_reason", "temperature", "stage"}
    assert list(values[lead]) == sorted(values[lead])
    assert values[lead]["first_name"] == "Ada"
    assert values[lead]["deal_value"] == 500
    assert values[lead]["temperature"] == "hot"
    assert values[lead]["won_value"] is None
    assert 0.0 < completeness[lead] < 1.0
