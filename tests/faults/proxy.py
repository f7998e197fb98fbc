"""A TCP proxy that injects the faults a network shows between cpl and what it depends on.

Self-contained (standard library only, threads), so any test — or a script driving several
cpl processes — can put it between cpl and PostgreSQL or an S3-compatible server::

    with FaultProxy("127.0.0.1", 5432) as proxy:
        url = f"postgres://postgres@127.0.0.1:{proxy.port}/test"
        proxy.set_mode("stall")   # a partition: connections open, nothing gets through
        proxy.set_mode("pass")    # healed: what was held is delivered, as TCP would

Modes, which apply at once to open connections and to new ones:

``pass``
    forward both ways.
``refuse``
    connections are refused (the listening socket is closed, so a connect gets ECONNREFUSED)
    and open ones are reset — a server that is down.
``stall``
    connections are accepted and held; nothing is forwarded either way until the mode
    changes (what was held is then delivered in order) — a partition.
``cut``
    each connection is closed once ``cut_after`` bytes have come back from the server — a
    response cut off mid-body (``cut_after`` 0: as soon as anything comes back).
``delay``
    every chunk waits ``delay`` seconds before it is forwarded — a slow link.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from types import TracebackType

MODES = ("pass", "refuse", "stall", "cut", "delay")
_TICK = 0.02


class FaultProxy:
    """Forwards ``127.0.0.1:port`` to ``upstream_host:upstream_port`` with a fault mode the test sets."""

    def __init__(self, upstream_host: str, upstream_port: int, *, mode: str = "pass") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.cut_after = 0
        self.delay = 0.0
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._stopped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._acceptor = self._start_acceptor()
        self.set_mode(mode)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """``http://127.0.0.1:port``, for an HTTP upstream such as an S3 endpoint."""
        return f"http://{self.address}"

    def set_mode(self, mode: str, *, cut_after: int | None = None, delay: float | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}; one of {MODES}")
        self.cut_after = self.cut_after if cut_after is None else cut_after
        self.delay = self.delay if delay is None else delay
        with self._lock:
            self.mode = mode
            if mode == "refuse":
                self._close_listener()
                for connection in list(self._connections):
                    _reset(connection)
                self._connections.clear()
            elif self._listener is None:
                self._reopen_listener()

    def close(self) -> None:
        self._stopped.set()
        with self._lock:
            self._close_listener()
            for connection in list(self._connections):
                _reset(connection)
            self._connections.clear()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    # --- listening ------------------------------------------------------------------------------

    def _start_acceptor(self) -> threading.Thread:
        thread = threading.Thread(target=self._accept, args=(self._listener,), daemon=True)
        thread.start()
        return thread

    def _close_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _reopen_listener(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        self._acceptor = self._start_acceptor()

    def _accept(self, listener: socket.socket) -> None:
        listener.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                client = listener.accept()[0]
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed: refusing, or stopped
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    # --- forwarding -----------------------------------------------------------------------------

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _reset(client)
            return
        upstream.settimeout(None)
        with self._lock:
            if self.mode == "refuse":
                _reset(client)
                _reset(upstream)
                return
            self._connections.update((client, upstream))
        threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()
        self._pump(client, upstream, False)

    def _pump(self, source: socket.socket, target: socket.socket, from_server: bool) -> None:
        forwarded = 0
        try:
            while data := source.recv(65536):
                self._hold_while_stalled(source)
                if self.mode == "delay" and self.delay:
                    time.sleep(self.delay)
                if from_server and self.mode == "cut" and forwarded + len(data) >= self.cut_after:
                    target.sendall(data[: max(self.cut_after - forwarded, 0)])
                    break
                target.sendall(data)
                forwarded += len(data)
        except OSError:
            pass
        self._drop(source, target)

    def _hold_while_stalled(self, source: socket.socket) -> None:
        while self.mode == "stall" and source in self._connections and not self._stopped.is_set():
            time.sleep(_TICK)

    def _drop(self, *ends: socket.socket) -> None:
        with self._lock:
            for end in ends:
                self._connections.discard(end)
        for end in ends:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


def _reset(connection: socket.socket) -> None:
    """Close with a TCP reset (``SO_LINGER`` 0), as a host that went away does."""
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    connection.close()
