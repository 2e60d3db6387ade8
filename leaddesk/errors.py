"""Errors that carry a message meant for the user."""


class UserError(Exception):
    """A problem the user can fix (bad input, missing file): one clear sentence.

    The command line prints the message and exits with status 2; the window
    shows it in a message box. Anything else is a bug and is logged in full.
    """
