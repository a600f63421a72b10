"""What the network benches share: many hosts on loopback, and the timed command's setting.

Each host is a loopback address of its own (127.0.0.2, 127.0.0.3 ...) on one
port, so the per-host limits apply per host as they would on the internet;
the server runs in a process of its own, as remote hosts would, so serving
does not compete with what is measured for the interpreter lock.
"""

from __future__ import annotations

import asyncio
import errno
import multiprocessing
import os
import socket
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: one loopback address a host, from 127.0.0.2 on.
MAX_HOSTS = 250


def bind_hosts(count: int) -> tuple[list[socket.socket], int]:
    """Listening sockets on 127.0.0.2 ... 127.0.0.(count + 1), all on one port."""
    if count > MAX_HOSTS:
        raise ValueError(f"at most {MAX_HOSTS} hosts: one loopback address each")
    for _attempt in range(20):
        sockets: list[socket.socket] = []
        try:
            for n in range(count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind((f"127.0.0.{2 + n}", sockets[0].getsockname()[1] if n else 0))
                sock.listen(256)
            return sockets, sockets[0].getsockname()[1]
        except OSError as exc:
            for sock in sockets:
                sock.close()
            if exc.errno != errno.EADDRINUSE:
                raise
    raise OSError("no port free on every loopback address")


class LoopbackHosts:
    """``count`` hosts served by ``handle`` in a forked process; a context manager."""

    def __init__(self, count: int) -> None:
        self.context = multiprocessing.get_context("fork")
        self.sockets, self.port = bind_hosts(count)
        self.hosts = [s.getsockname()[0] for s in self.sockets]
        self._ready = self.context.Event()
        self._process = self.context.Process(target=self._serve, daemon=True)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    def _serve(self) -> None:
        async def serve() -> None:
            for sock in self.sockets:
                await asyncio.start_server(self.handle, sock=sock)
            self._ready.set()
            await asyncio.Event().wait()  # until the process is terminated

        asyncio.run(serve())

    def __enter__(self):
        self._process.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._process.terminate()
        self._process.join(10)
        for sock in self.sockets:
            sock.close()


def command_env(pycache: Path) -> dict[str, str]:
    """The environment of the timed command: bytecode cached, as after ``pip install``.

    pip compiles an installed package's bytecode; a checkout run with
    PYTHONDONTWRITEBYTECODE (set in some CI images) would compile every
    module on every run instead (~0.15 s here), which no user pays.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def summary(values: list[float]) -> str:
    """Median and range of some timings, in seconds."""
    return f"{statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"
