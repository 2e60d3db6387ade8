"""The system tray icon: overdue count, desktop notifications, keep running when closed.

Only where the platform has a tray (``QSystemTrayIcon.isSystemTrayAvailable()``);
elsewhere the controller does nothing and the in-app banner alone reminds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from leaddesk.core.agenda import FollowUpEntry
from leaddesk.resources import resource_path
from leaddesk.ui.agenda.banner import reminder_text

KEEP_IN_TRAY_KEY = "tray/keep_running"
ICON_SIZE = 64


def keep_in_tray(data_dir: Path) -> bool:
    """Whether closing the window leaves LeadDesk running in the tray (window.ini)."""
    value = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat).value(
        KEEP_IN_TRAY_KEY, False
    )
    return value in (True, "true", "1", 1)


def set_keep_in_tray(data_dir: Path, keep: bool) -> None:
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue(KEEP_IN_TRAY_KEY, bool(keep))
    settings.sync()


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def tooltip_text(overdue: int) -> str:
    if overdue == 0:
        return "LeadDesk — nothing overdue"
    return f"LeadDesk — {overdue} overdue follow-up{'s' if overdue != 1 else ''}"


def badge_icon(base: QIcon, count: int) -> QIcon:
    """``base`` with the count in a red disc in its corner ('99+' beyond 99)."""
    pixmap = base.pixmap(ICON_SIZE, ICON_SIZE) if not base.isNull() else QPixmap()
    if pixmap.isNull():
        pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
        pixmap.fill(QColor("#2f6fd6"))
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = str(count) if count < 100 else "99+"
    size = ICON_SIZE * 0.58
    disc = QRectF(ICON_SIZE - size, 0, size, size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#dc2626"))
    painter.drawEllipse(disc)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.62 if len(text) < 3 else 0.42)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class TrayController(QObject):
    """Owns the tray icon when there is a tray; inert otherwise."""

    show_window = Signal()
    open_lead = Signal(int)
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None, *, available: bool | None = None) -> None:
        super().__init__(parent)
        self.available = tray_available() if available is None else available
        self.overdue = 0
        self._message_lead: int | None = None
        self.icon: QSystemTrayIcon | None = None
        if not self.available:
            return
        app_icon = QApplication.windowIcon()
        if app_icon.isNull():
            path = resource_path("icons/leaddesk.svg")
            app_icon = QIcon(str(path)) if path.is_file() else QIcon()
        self._base_icon = app_icon
        self.icon = QSystemTrayIcon(badge_icon(app_icon, 0), self)
        self.menu = QMenu()
        show = QAction("Show LeadDesk", self.menu)
        show.triggered.connect(self.show_window.emit)
        quit_action = QAction("Quit LeadDesk", self.menu)
        quit_action.triggered.connect(self.quit_requested.emit)
        self.menu.addAction(show)
        self.menu.addSeparator()
        self.menu.addAction(quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self._on_message_clicked)
        self.icon.setToolTip(tooltip_text(0))
        self.icon.show()

    def set_overdue(self, count: int) -> None:
        if count == self.overdue and self.icon is not None and self.icon.toolTip():
            return
        self.overdue = count
        if self.icon is not None:
            self.icon.setToolTip(tooltip_text(count))
            self.icon.setIcon(badge_icon(self._base_icon, count))

    def notify(self, entries: Sequence[FollowUpEntry]) -> bool:
        """A desktop notification for due follow-ups; False when there is no tray."""
        if self.icon is None or not entries:
            return False
        self._message_lead = entries[0].lead_id
        title = "Follow-up due" if len(entries) == 1 else f"{len(entries)} follow-ups due"
        self.icon.showMessage(
            title, reminder_text(entries), QSystemTrayIcon.MessageIcon.Information, 15_000
        )
        return True

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window.emit()

    def _on_message_clicked(self) -> None:
        self.show_window.emit()
        if self._message_lead is not None:
            self.open_lead.emit(self._message_lead)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
