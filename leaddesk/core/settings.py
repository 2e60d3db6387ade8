"""Settings stored in the database, declared once with their defaults.

The database keeps only what the user changed; a missing key means the default
below. Adding a setting is one line here -- no migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leaddesk.core.fields import DISQUALIFICATION_REASONS


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    title: str
    default: Any


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("qualification_threshold", "Score that suggests sales qualified", 50),
    SettingSpec("hot_cutoff", "Score that suggests hot", 70),
    SettingSpec("warm_cutoff", "Score that suggests warm", 40),
    SettingSpec("sla_minutes_hot", "First contact deadline for hot leads (minutes)", 5),
    SettingSpec("sla_minutes_warm", "First contact deadline for warm leads (minutes)", 24 * 60),
    SettingSpec("sla_minutes_cold", "First contact deadline for cold leads (minutes)", 72 * 60),
    SettingSpec("default_region", "Default phone region (ISO country code)", ""),
    SettingSpec("current_user", "Your name (default owner of new leads)", ""),
    # The team member (owners.id) who uses this copy: default owner, "My leads".
    SettingSpec("my_owner_id", "The team member who is you", None),
    # Where backups go ("" = the data folder's backups/); read by storage/backup.py
    # straight from the file, so it is found even before a migration.
    SettingSpec("backup_folder", "Backup folder", ""),
    # Leads deleted longer ago than this are removed for good at start (0 = never).
    SettingSpec("trash_days", "Days a deleted lead stays in the trash", 30),
    SettingSpec(
        "disqualification_reasons", "Disqualification reasons", list(DISQUALIFICATION_REASONS)
    ),
)

SETTINGS_BY_KEY: dict[str, SettingSpec] = {spec.key: spec for spec in SETTINGS}
