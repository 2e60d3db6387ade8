"""Errors that carry a message meant for the user."""


class UserError(Exception):
    """A problem the user can fix (bad input, missing file): one clear sentence.

    The command line prints the message and exits with status 2; the window
    shows it in a message box. Anything else is a bug and is logged in full.
    """


class SystemRequirementError(Exception):
    """The machine lacks something LeadDesk needs (a display, a system library).

    Reported in one sentence with what to install; the exit status is 1.
    """
