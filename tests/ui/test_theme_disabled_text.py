"""A disabled button or action looks disabled in both of LeadDesk's palettes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from leaddesk.ui.theme import _dark_palette, _light_palette
from tests.ui.contrast import contrast_ratio

TEXT_ROLES = (
    QPalette.ColorRole.Text,
    QPalette.ColorRole.WindowText,
    QPalette.ColorRole.ButtonText,
)


@pytest.mark.parametrize("make", [_light_palette, _dark_palette], ids=["light", "dark"])
@pytest.mark.parametrize("role", TEXT_ROLES, ids=lambda role: role.name)
def test_disabled_text_is_fainter_than_enabled_text(qapp, make, role) -> None:
    palette = make()
    background = palette.color(QPalette.ColorRole.Button)
    enabled = palette.color(QPalette.ColorGroup.Active, role)
    disabled = palette.color(QPalette.ColorGroup.Disabled, role)
    # Still there to read, but plainly greyed: well under half the enabled contrast.
    assert contrast_ratio(disabled, background) >= 2
    assert contrast_ratio(enabled, background) >= 2 * contrast_ratio(disabled, background)
