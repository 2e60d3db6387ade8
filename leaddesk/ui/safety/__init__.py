"""Keeping the user's data safe in the window: backups and restore, the bar over a
damaged or read-only database, the recovery window, the salvage export, the
daily integrity check and one window per database."""
