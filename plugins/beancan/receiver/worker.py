"""``beancan-receiver --worker-only``: a verifier process without an HTTP port.

With PostgreSQL any number of these share the queue (``FOR UPDATE SKIP
LOCKED``) beside the HTTP instances started with ``--no-worker``.
"""

from __future__ import annotations

import asyncio
import signal

from ..http import HttpClient
from ..settings import BeancanSettings
from .backends import database_url, open_storage
from .policy import RuleBook
from .verify import Verifier

__all__ = ["run_worker", "serve_worker"]


def run_worker(settings: BeancanSettings) -> None:
    """Verify until SIGTERM or SIGINT, then stop gracefully."""
    asyncio.run(serve_worker(settings))


async def serve_worker(settings: BeancanSettings, stop: asyncio.Event | None = None) -> None:
    """Verify until ``stop`` is set (or a signal arrives when no event is given)."""
    loop = asyncio.get_running_loop()
    if stop is None:
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    storage = open_storage(database_url(settings))
    await storage.open()
    try:
        if not storage.shared:
            await storage.release_all()
        async with (
            HttpClient.from_settings(settings) as http,
            HttpClient.from_settings(settings, allow_private=True, concurrency=2) as hook,
        ):
            verifier = Verifier(settings, storage, RuleBook(settings, storage), http, hook)
            task = asyncio.create_task(verifier.run())
            await stop.wait()
            await verifier.stop()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await storage.close()
