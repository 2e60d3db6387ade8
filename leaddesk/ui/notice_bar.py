"""A slim coloured bar at the top of the window: an icon, one sentence, its buttons.

The agenda's reminder and the damaged or read-only database notice are both
this bar; each adds its own buttons and says what its sentence is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QWidget,
)

from leaddesk.ui.theme import is_dark

# Background and text of a bar: on a light palette, on a dark one.
BarColors = tuple[tuple[str, str], tuple[str, str]]


class NoticeBar(QFrame):
    """Icon, sentence, the bar's buttons and a ✕; hidden until it has something to say.

    ``name`` names the bar and its parts (``{name}Text``, ``{name}Dismiss``) for
    style sheets and accessibility tools.
    """

    def __init__(
        self,
        name: str,
        buttons: list[QPushButton],
        dismiss_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setObjectName(f"{name}Text")
        # Names and notes as typed: "call re <urgent>" is not markup.
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.dismiss_button = QToolButton()
        self.dismiss_button.setObjectName(f"{name}Dismiss")
        self.dismiss_button.setText("✕")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setAccessibleName(dismiss_name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        for button in buttons:
            layout.addWidget(button)
        layout.addWidget(self.dismiss_button)
        self.hide()

    def set_icon(self, icon: QStyle.StandardPixmap) -> None:
        # A style icon rather than an emoji: not every desktop font has the glyph.
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(18, 18))

    def set_colors(self, colors: BarColors) -> None:
        palette = self.palette()
        background, foreground = colors[1 if is_dark(palette) else 0]
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(foreground))
        self.setPalette(palette)
