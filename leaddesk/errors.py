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


BUSY_MESSAGE = "Another LeadDesk is busy with this database; try again in a moment."


class DatabaseBusyError(UserError):
    """A write that could not get the database's lock within the busy timeout.

    Another process (the window, an import on the command line) is writing;
    nothing was changed and trying again shortly will work.
    """

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


class ReadOnlyDatabaseError(UserError):
    """A write to a database LeadDesk opened read-only; reading still works.

    The message says why (a read-only file or folder, damage) and what to do.
    """


class DamagedDatabaseError(ReadOnlyDatabaseError):
    """A write to a database known to be damaged: LeadDesk never writes to one."""


class DiskFullError(UserError):
    """The disk (or the user's quota) is full: nothing was changed."""
