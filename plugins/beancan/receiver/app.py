"""The receiver service: a Starlette ASGI app. ``create_app(settings)`` builds it.

Routes::

    POST /webmention                 receive (Webmention §3.2), 202 + Location
    GET  /webmention/status/{token}  the status, as JSON or as a page for people
    POST /xmlrpc                     pingback.ping (Pingback 1.0)
    GET  /api/mentions.jf2           webmention.io-compatible JF2 API (+ deletions)

Receiving does no network I/O: it validates, applies the limits and queues;
the verifier (started with the app unless ``BEANCAN_RECEIVER_WORKERS`` is 0)
does the fetching.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..http import HttpClient
from ..settings import BeancanSettings
from ..urls import canonical_url, host_of, url_key
from .api import mentions_jf2
from .backends import database_url, open_storage
from .limits import RateLimiter
from .pages import describe, error_page, status_page, wants_html
from .policy import RuleBook, domain_blocked
from .refusal import Refusal, read_body
from .storage import Mention, Storage
from .verify import Verifier
from .xmlrpc import pingback

__all__ = ["Receiver", "Refusal", "create_app"]

logger = logging.getLogger(__name__)

#: The queue length is re-read this often (other instances add to it too).
QUEUE_REFRESH_SECONDS = 1.0


@dataclass
class Receiver:
    """Everything the routes share: one per app."""

    settings: BeancanSettings
    storage: Storage
    rules: RuleBook
    per_ip: RateLimiter
    per_domain: RateLimiter
    verifier: Verifier | None = None
    queued: int = 0
    queued_read: float = float("-inf")

    def __post_init__(self) -> None:
        # Built once: settings are frozen, and every request asks.
        self.site = self.settings.site

    def check(self, source: str, target: str) -> tuple[str, str, tuple[str, str, str, str]]:
        """Validate a (source, target) pair (Webmention §3.2.1); raises Refusal(400).

        Returns the canonical source and target and their keys.
        """
        # Pingback 1.0 faults: 0x10 the source, 0x21 the target cannot be used.
        for name, value, fault in (("source", source, 0x10), ("target", target, 0x21)):
            if not value:
                raise Refusal(400, f"The {name} parameter is missing.", fault=fault)
            if len(value) > 2048:
                raise Refusal(400, f"The {name} URL is longer than 2048 characters.", fault=fault)
            if not value.lower().startswith(("http://", "https://")):
                raise Refusal(400, f"The {name} {value!r} is not an http(s) URL.", fault=fault)
        clean_source, clean_target = canonical_url(source), canonical_url(target)
        if not clean_source:
            raise Refusal(400, f"The source {source!r} is not a well-formed URL.", fault=0x10)
        if not clean_target:
            raise Refusal(400, f"The target {target!r} is not a well-formed URL.", fault=0x21)
        site = self.site
        if not site.is_ours(clean_target):
            hosts = ", ".join(sorted(site.hosts)) or "(no SITEURL set)"
            raise Refusal(400, f"The target {target} is not on this site ({hosts}).", fault=0x21)
        if site.identity(clean_source) == site.identity(clean_target):
            raise Refusal(400, "The source and the target are the same URL.", fault=0)
        keys = (url_key(clean_source), site.identity(clean_target), host_of(clean_source),
                host_of(clean_target))  # fmt: skip
        return clean_source, clean_target, keys

    async def admit(self, source_host: str, client: str) -> None:
        """Blocks, rate limits and the queue bound; raises Refusal(403/429/503)."""
        if domain_blocked(await self.rules.current(), source_host):
            raise Refusal(403, f"Mentions from {source_host} are not accepted here.", fault=0x31)
        wait = self.per_ip.allow(client)
        if wait:
            raise Refusal(429, "Too many mentions from your address; try again later.", wait, 0x31)
        wait = self.per_domain.allow(source_host.split(":")[0])
        if wait:
            raise Refusal(
                429, f"Too many mentions from {source_host}; try again later.", wait, 0x31
            )
        now = time.monotonic()
        if now - self.queued_read > QUEUE_REFRESH_SECONDS:
            self.queued = await self.storage.queue_length()
            self.queued_read = now
        if self.queued >= self.settings.receiver.max_queue:
            raise Refusal(503, "The verification queue is full; try again in a minute.", 60)

    async def receive(self, source: str, target: str, protocol: str, client: str) -> Mention:
        """Validate, admit and queue one mention."""
        source, target, keys = self.check(source, target)
        await self.admit(keys[2], client)
        mention = await self.storage.enqueue(keys, source, target, protocol, client)
        self.queued += 1
        if self.verifier is not None:
            self.verifier.wake()
        return mention


def refusal_response(request: Request, refusal: Refusal, back: str = "") -> Response:
    headers = (
        {"Retry-After": str(max(1, round(refusal.retry_after)))} if refusal.retry_after else {}
    )
    if wants_html(request.headers.get("accept", "")):
        title = "Webmention not accepted"
        return HTMLResponse(error_page(title, refusal.message, back), refusal.status, headers)
    return JSONResponse({"error": refusal.message}, refusal.status, headers)


def status_json(mention: Mention, url: str) -> dict:
    title, message = describe(mention)
    return {"id": mention.token, "status": mention.state, "summary": title,
            "message": message, "source": mention.source, "target": mention.target,
            "protocol": mention.protocol, "received": mention.received_at,
            "updated": mention.updated_at, "location": url}  # fmt: skip


async def webmention(request: Request) -> Response:
    receiver: Receiver = request.app.state.receiver
    back = ""
    try:
        if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
            raise Refusal(400, "Send source and target form-encoded "
                          "(Content-Type: application/x-www-form-urlencoded).")  # fmt: skip
        body = await read_body(request, receiver.settings.receiver.max_body)
        try:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Refusal(400, "The form is not well-formed UTF-8 form data.") from exc
        source, target = form.get("source", "").strip(), form.get("target", "").strip()
        if receiver.site.is_ours(canonical_url(target)):
            back = canonical_url(target)
        client = request.client.host if request.client else ""
        mention = await receiver.receive(source, target, "webmention", client)
    except Refusal as refusal:
        return refusal_response(request, refusal, back)
    url = str(request.url_for("status", token=mention.token))
    headers = {"Location": url}
    if wants_html(request.headers.get("accept", "")):
        return HTMLResponse(status_page(mention), 202, headers)
    return JSONResponse(status_json(mention, url), 202, headers)


async def status(request: Request) -> Response:
    receiver: Receiver = request.app.state.receiver
    mention = await receiver.storage.get(request.path_params["token"])
    if mention is None:
        return refusal_response(request, Refusal(404, "No Webmention has that status address."))
    if wants_html(request.headers.get("accept", "")):
        return HTMLResponse(status_page(mention))
    return JSONResponse(status_json(mention, str(request.url)))


def create_app(
    settings: BeancanSettings,
    *,
    http: Callable[[], HttpClient] | None = None,
    storage: Storage | None = None,
    workers: bool | None = None,
) -> Starlette:
    """The receiver app. ``http`` (a factory) and ``storage`` replace what settings make.

    ``workers`` False serves the HTTP side only (another process verifies:
    PostgreSQL); by default the verifier runs when ``receiver_workers`` > 0.
    """
    store = storage or open_storage(database_url(settings))
    receiver = Receiver(
        settings=settings,
        storage=store,
        rules=RuleBook(settings, store),
        per_ip=RateLimiter(settings.receiver.rate_per_ip),
        per_domain=RateLimiter(settings.receiver.rate_per_domain),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        run_verifier = settings.receiver.workers > 0 if workers is None else workers
        if not store.shared:
            # SQLite has one receiver process: claims left by a crash are ours to resume.
            resumed = await store.release_all()
            if resumed:
                logger.warning("resuming %d verification(s) a crash interrupted", resumed)
        client = http() if http else HttpClient.from_settings(settings)
        # The webhook is the owner's own URL (often a local build hook): no address guard.
        hook = HttpClient.from_settings(settings, allow_private=True, concurrency=2)
        task = None
        if run_verifier:
            receiver.verifier = Verifier(settings, store, receiver.rules, client, hook)
            task = asyncio.create_task(receiver.verifier.run())
        try:
            yield
        finally:
            if receiver.verifier is not None and task is not None:
                await receiver.verifier.stop()
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            await hook.aclose()
            await client.aclose()
            await store.close()

    app = Starlette(
        routes=[
            Route("/webmention", webmention, methods=["POST"]),
            Route("/webmention/status/{token}", status, methods=["GET"], name="status"),
            Route("/xmlrpc", pingback, methods=["POST"]),
            Route("/api/mentions.jf2", mentions_jf2, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.receiver = receiver
    return app
