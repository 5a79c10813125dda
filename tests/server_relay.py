"""A TCP relay between a seat and the test server, to cut as a pulled network cable would."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url


class Relay:
    """127.0.0.1:port -> the server; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._sockets: list[socket.socket] = []
        self._open = False
        self.port = 0
        self._listener: socket.socket | None = None

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        self._open = True
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._open:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self._target))
            self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):  # cut
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for end in (source, sink):
            with contextlib.suppress(OSError):  # the other pump closed it first
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every connection and refuse new ones; `start()` opens the same port again."""
        self.stop()
        for end in self._sockets:
            with contextlib.suppress(OSError):  # the other pump closed it first
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self._sockets.clear()

    def stop(self) -> None:
        """Refuse new connections (the ones open go on until cut)."""
        if not self._open:
            return
        self._open = False
        assert self._listener is not None
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
        self._listener.close()


@contextmanager
def relayed(url: str) -> Iterator[tuple[Relay, str]]:
    """A relay to the server of `url`, and the same URL through it."""
    parsed = make_url(url)
    relay = Relay(int(parsed.port or 5432))
    relay.start()
    try:
        yield relay, parsed.set(port=relay.port).render_as_string(hide_password=False)
    finally:
        relay.stop()
