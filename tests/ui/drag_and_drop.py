"""Drag cards across the board through the views' own drag-and-drop events."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from leaddesk.ui.board.view import BoardWidget


def _drag_event(event_type, position: QPoint, *args):
    # Qt 6.12 takes a QPointF (and deprecates QPoint); earlier releases only QPoint.
    try:
        return event_type(QPointF(position), *args)
    except TypeError:
        return event_type(position, *args)


def drop_cards(
    board: BoardWidget, lead_ids: Sequence[int], to_value: str, *, above_row: int | None = None
) -> None:
    """Drag the cards of ``lead_ids`` (all from one column) and drop them on ``to_value``.

    ``above_row``: drop on the upper edge of that row of the target column (so the
    cards land just above it); None drops below the last card.
    """
    source = next(c for c in board.columns if lead_ids[0] in c.model.lead_ids)
    target = board.column_for(to_value)
    indexes = [source.model.index(source.model.row_of(lead_id)) for lead_id in lead_ids]
    mime = source.model.mimeData(indexes)
    view = target.view
    if above_row is not None:
        position = view.visualRect(target.model.index(above_row)).topLeft() + QPoint(20, 2)
    elif count := target.model.rowCount():
        position = QPoint(20, view.visualRect(target.model.index(count - 1)).bottom() - 2)
    else:
        position = QPoint(20, 10)
    viewport = view.viewport()
    actions = Qt.DropAction.MoveAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event_type in (QDragEnterEvent, QDragMoveEvent):
        event = _drag_event(event_type, position, actions, mime, buttons, modifiers)
        QApplication.sendEvent(viewport, event)
    QApplication.sendEvent(
        viewport, QDropEvent(QPointF(position), actions, mime, buttons, modifiers)
    )
