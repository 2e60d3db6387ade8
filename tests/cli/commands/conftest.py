"""Fixtures shared by the tests of more than one command."""

from __future__ import annotations

import pytest

from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead


@pytest.fixture
def anna_berg_twice(ctx: OperationContext) -> tuple[int, int]:
    """(keep, other): the same person entered twice, the second hot and with a demo request."""
    keep = create_lead(
        ctx,
        {
            "first_name": "Anna",
            "last_name": "Berg",
            "company": "Nordlicht GmbH",
            "email": "anna@nordlicht.example",
        },
    ).value
    other = create_lead(
        ctx,
        {
            "first_name": "Anna",
            "last_name": "Berg",
            "company": "Nordlicht",
            "phone": "+49 30 1234567",
            "temperature": "hot",
        },
    ).value
    log_activity(ctx, other, "demo_request")
    return keep, other
