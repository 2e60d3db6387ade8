"""Light and dark palettes, and the few colours LeadDesk adds of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.core.fields import Temperature

TEMPERATURE_COLORS = {
    Temperature.COLD: QColor("#3b82f6"),
    Temperature.WARM: QColor("#f59e0b"),
    Temperature.HOT: QColor("#ef4444"),
}
STAGE_COLOR = QColor("#8b5cf6")
OVERDUE_COLOR = QColor("#dc2626")
OVERDUE_COLOR_DARK = QColor("#f87171")
DENIED_COLOR = QColor("#b91c1c")
# Problems and warnings written as text: the light shades are too dark to read on
# the dark palette (about 3:1 on its window colour), so each has a dark twin.
ERROR_COLOR, ERROR_COLOR_DARK = OVERDUE_COLOR, OVERDUE_COLOR_DARK
WARNING_COLOR = QColor("#b45309")
WARNING_COLOR_DARK = QColor("#fbbf24")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def overdue_color(palette: QPalette) -> QColor:
    return OVERDUE_COLOR_DARK if is_dark(palette) else OVERDUE_COLOR


def error_color(palette: QPalette) -> QColor:
    """Text of a problem that stops something (a value that cannot be saved)."""
    return ERROR_COLOR_DARK if is_dark(palette) else ERROR_COLOR


def warning_color(palette: QPalette) -> QColor:
    """Text of something worth a look that stops nothing (no next step, an odd email)."""
    return WARNING_COLOR_DARK if is_dark(palette) else WARNING_COLOR


def _dark_palette() -> QPalette:
    palette = QPalette()
    window, base, text = QColor("#1f2329"), QColor("#2a2f37"), QColor("#e6e8eb")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#323843"),
        QPalette.ColorRole.ToolTipBase: base,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#8b929c"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2c313a"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor("#3d7bd9"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#6aa6ff"),
        QPalette.ColorRole.Mid: QColor("#3a404a"),
        QPalette.ColorRole.Midlight: QColor("#353b45"),
        QPalette.ColorRole.Dark: QColor("#16191d"),
        QPalette.ColorRole.Shadow: QColor("#0b0c0e"),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b717b"))
    return palette


def _light_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: QColor("#eef0f3"),
        QPalette.ColorRole.WindowText: QColor("#1f2329"),
        QPalette.ColorRole.Base: QColor("#ffffff"),
        QPalette.ColorRole.AlternateBase: QColor("#f6f7f9"),
        QPalette.ColorRole.Text: QColor("#1f2329"),
        QPalette.ColorRole.Button: QColor("#f7f8fa"),
        QPalette.ColorRole.ButtonText: QColor("#1f2329"),
        QPalette.ColorRole.PlaceholderText: QColor("#8a9099"),
        QPalette.ColorRole.Highlight: QColor("#2f6fd6"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Mid: QColor("#c9ced6"),
        QPalette.ColorRole.Midlight: QColor("#e2e5ea"),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    # setColor fills every colour group, so without this a disabled button or
    # toolbar action (Save with nothing to save, Plan follow-up with nothing
    # selected) looks exactly like an enabled one.
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa0a8"))
    return palette


# The Appearance choices (Settings → Appearance, `leaddesk --theme`), in menu order.
THEMES: tuple[tuple[str, str], ...] = (("system", "System"), ("light", "Light"), ("dark", "Dark"))
THEME_KEY = "appearance/theme"

# The platform's own style and palette, kept the first time a theme replaces them
# so that choosing System again brings them back without a restart.
_platform: tuple[str, QPalette] | None = None
_current = "system"


def current_theme() -> str:
    """The theme showing now: the stored choice, or --theme for this run."""
    return _current


def apply_theme(app: QApplication, theme: str) -> None:
    """'light' or 'dark' force a palette on the Fusion style; 'system' the platform's.

    Every widget repaints with the new palette at once (Qt sends each one the
    palette change); what paints itself reads the palette at paint time.
    """
    global _platform, _current
    _current = theme if theme in ("light", "dark") else "system"
    if theme not in ("light", "dark"):
        if _platform is not None:
            style, palette = _platform
            app.setStyle(style)
            app.setPalette(palette)
        return
    if _platform is None:
        _platform = (app.style().name(), QPalette(app.palette()))
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(_dark_palette() if theme == "dark" else _light_palette())


def _appearance_file(data_dir: Path) -> QSettings:
    # This machine's choice, like the window's size: not the team's database.
    return QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)


def theme_choice(data_dir: Path) -> str:
    """The Appearance chosen in Settings for this data folder ('system' when none)."""
    value = _appearance_file(data_dir).value(THEME_KEY, "system")
    return value if value in {name for name, _label in THEMES} else "system"


def set_theme_choice(data_dir: Path, theme: str) -> None:
    settings = _appearance_file(data_dir)
    settings.setValue(THEME_KEY, theme)
    settings.sync()
