"""Help: the About dialog and the keyboard shortcuts window."""
