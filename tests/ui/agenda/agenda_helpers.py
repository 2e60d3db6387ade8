"""What the agenda tests share: answering the next-step dialog, reading follow-ups."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.storage.schema import follow_ups
from leaddesk.ui.agenda.next_step import NextStepDialog


def when_next_step_dialog_opens(action: Callable[[NextStepDialog], None]) -> list[NextStepDialog]:
    """Run ``action(dialog)`` on the next modal next-step dialog; returns the dialogs seen."""
    seen: list[NextStepDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, NextStepDialog):
            seen.append(dialog)
            action(dialog)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


def follow_up_rows(ctx, lead_id: int) -> list:
    with ctx.db.reading() as connection:
        return list(
            connection.execute(
                select(
                    follow_ups.c.id, follow_ups.c.due_at, follow_ups.c.note, follow_ups.c.done_at
                )
                .where(follow_ups.c.lead_id == lead_id)
                .order_by(follow_ups.c.id)
            )
        )
