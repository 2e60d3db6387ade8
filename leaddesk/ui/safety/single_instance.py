"""One window per database: a second ``leaddesk`` on the same database brings the first forward.

The first window listens on a local socket (a named pipe on Windows) whose
name is derived from the database's path, so windows on different databases
never meet. A second start asks that socket to raise its window and, once it
answers, exits 0. A first window that accepts but does not answer (hung, or
stopped in a debugger) makes the second say the database is open elsewhere.
A socket left behind by a process that crashed answers nobody: it is removed
(``QLocalServer.removeServer``) and taken over.

The exchange is one line each way: ``raise`` and ``raised``.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from leaddesk.storage.database import sqlite_file

log = logging.getLogger(__name__)

RAISE_REQUEST = b"raise\n"
RAISED_REPLY = b"raised\n"
# How long a second start waits for the first window to answer: it answers from
# its event loop, so a live window answers in milliseconds even when busy
# painting; a longer silence means it is hung.
ANSWER_TIMEOUT_MS = 3000


class Answer(enum.Enum):
    """What a second start heard from the socket of its database."""

    NOBODY = "nobody"  # no window on this database (or only a crashed one's socket)
    RAISED = "raised"  # the first window came forward
    SILENT = "silent"  # someone holds the socket but did not answer in time


def server_name(database_url: str) -> str:
    """The socket's name for a database: the same for every spelling of one file's path.

    The user's id is part of it: another user's LeadDesk on a shared machine is
    not this one's to raise (the socket is owner-only as well).
    """
    path = sqlite_file(database_url)
    key = os.path.normcase(os.fsdecode(path)) if path is not None else database_url
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    user_tag = hashlib.sha256(user.encode("utf-8", "surrogateescape")).hexdigest()[:6]
    # Short: a Unix socket path is limited to about 100 bytes, the temp folder included.
    return f"leaddesk-{user_tag}-{digest}"


def ask_to_raise(name: str, timeout_ms: int | None = None) -> Answer:
    """Ask the window listening on ``name`` to come forward; waits in a local event loop.

    An event loop rather than the socket's blocking waits: the loop runs this
    thread's other Qt work meanwhile (a window of this process, in a test, can
    answer), and PySide keeps the interpreter lock during a blocking wait.
    """
    if timeout_ms is None:
        timeout_ms = ANSWER_TIMEOUT_MS
    socket = QLocalSocket()
    loop = QEventLoop()
    reply = bytearray()

    def read() -> None:
        reply.extend(bytes(socket.readAll().data()))
        if RAISED_REPLY in reply:
            loop.quit()

    socket.connected.connect(lambda: socket.write(RAISE_REQUEST))
    socket.readyRead.connect(read)
    socket.disconnected.connect(loop.quit)
    socket.errorOccurred.connect(lambda _error: loop.quit())
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    socket.connectToServer(name)
    error = socket.error()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        error = socket.error()
        reply.extend(bytes(socket.readAll().data()))
    connected = socket.state() != QLocalSocket.LocalSocketState.UnconnectedState or reply
    socket.abort()
    if RAISED_REPLY in reply:
        return Answer.RAISED
    if not connected and error in (
        QLocalSocket.LocalSocketError.ServerNotFoundError,
        QLocalSocket.LocalSocketError.ConnectionRefusedError,
    ):
        return Answer.NOBODY
    return Answer.SILENT


class InstanceServer(QObject):
    """The first window's end: ``raise_requested`` when a second start asks for it."""

    raise_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        # Only this user may connect (Unix: the socket file is owner-only).
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Listen on the name, taking it over from a crashed process; False when in use."""
        if self.server.listen(self.name):
            return True
        if self.server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
            log.warning("cannot listen on %s: %s", self.name, self.server.errorString())
            return False
        # In use, yet the caller found nobody answering it: a crashed window's socket.
        log.info("taking over %s, left by a process that ended", self.name)
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_request(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == RAISE_REQUEST:
            socket.write(RAISED_REPLY)
            socket.flush()
            self.raise_requested.emit()
        socket.disconnectFromServer()

    def close(self) -> None:
        self.server.close()


def claim(database_url: str) -> InstanceServer | Answer:
    """The server of the first window on this database, or what the one already open said.

    ``Answer.RAISED``: another window came forward (this start has nothing to
    do). ``Answer.SILENT``: the database is open elsewhere and did not answer.
    """
    name = server_name(database_url)
    answer = ask_to_raise(name)
    if answer is not Answer.NOBODY:
        return answer
    server = InstanceServer(name)
    if server.listen():
        return server
    # Two starts raced for a name nobody held (or, on Windows, a pipe of that name
    # exists and nobody answered it): the other one holds it now.
    server.deleteLater()
    return Answer.RAISED if ask_to_raise(name) is Answer.RAISED else Answer.SILENT
