"""Settings: the dialog and its pages."""
