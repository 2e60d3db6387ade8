"""Open follow-ups as an iCalendar file that calendar apps import.

One event per follow-up. The UID is derived from the follow-up's id, so
importing a newer export updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from leaddesk import __version__
from leaddesk.core.agenda import FollowUpEntry, to_utc

EVENT_DURATION = dt.timedelta(minutes=15)
LEAD_ID_PROPERTY = "X-LEADDESK-LEAD-ID"
LEAD_NAME_PROPERTY = "X-LEADDESK-LEAD-NAME"


def follow_up_uid(follow_up_id: int) -> str:
    return f"follow-up-{follow_up_id}@leaddesk"


def lead_url(lead_id: int) -> str:
    """The link an event carries back to its lead."""
    return f"leaddesk://lead/{lead_id}"


def follow_ups_calendar(entries: Iterable[FollowUpEntry], *, generated_at: dt.datetime) -> bytes:
    """The iCalendar (RFC 5545) text of ``entries``, with times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", f"-//LeadDesk//LeadDesk {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "LeadDesk follow-ups")
    stamp = to_utc(generated_at)
    for entry in entries:
        event = Event()
        event.add("uid", follow_up_uid(entry.follow_up_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", to_utc(entry.due_at))
        event.add("duration", EVENT_DURATION)
        event.add("summary", f"Follow up: {entry.name}")
        reference = f"LeadDesk lead #{entry.lead_id}"
        event.add("description", f"{entry.note}\n\n{reference}" if entry.note else reference)
        event.add("url", lead_url(entry.lead_id))
        event.add(LEAD_ID_PROPERTY, str(entry.lead_id))
        event.add(LEAD_NAME_PROPERTY, entry.name)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
