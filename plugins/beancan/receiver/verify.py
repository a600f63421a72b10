"""The verification worker: fetch each queued source, check its link, read its mf2.

Webmention §3.2.2: the receiver fetches ``source`` (through the shared
hardened client: total time cap, size cap, redirect cap, address guard on
every hop), checks that it links to ``target``, and only then uses it. A
source answering 410 (or 404) or no longer linking deletes what an earlier
verification kept; a re-sent Webmention is verified again and updates it.

Claims are leases: a worker that dies leaves rows whose claim expires and
which any worker takes again. A graceful stop lets in-flight checks finish
for a short grace period, then puts the rest back in the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from ..errors import AddressError, FetchError
from ..http import HttpClient
from ..model import make_interaction
from ..moderation import initial_status
from ..settings import BeancanSettings
from ..urls import url_key
from .mf2 import describe_source, links_to
from .policy import RuleBook
from .storage import ClaimLost, Mention, Storage

__all__ = ["ACCEPT", "Verifier"]

logger = logging.getLogger(__name__)

ACCEPT = "text/html, application/xhtml+xml;q=0.9, application/json;q=0.5, text/plain;q=0.3"
#: How often an idle worker looks for work queued by another process.
POLL_SECONDS = 1.0
GRACE_SECONDS = 5.0
RETRY_BASE_SECONDS = 30.0
GONE = (404, 410)
TRANSIENT = (408, 425, 429, 500, 502, 503, 504)


class Verifier:
    """Runs up to ``settings.receiver.workers`` verifications at a time until stopped."""

    def __init__(
        self,
        settings: BeancanSettings,
        storage: Storage,
        rules: RuleBook,
        http: HttpClient,
        webhook_http: HttpClient | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.rules = rules
        self.http = http
        self.webhook_http = webhook_http
        self.retry_base = RETRY_BASE_SECONDS
        self._wake = asyncio.Event()
        self._stopping = False
        self._running: dict[asyncio.Task, Mention] = {}
        self._webhooks: set[asyncio.Task] = set()

    def wake(self) -> None:
        """Something was queued in this process: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Claim and verify until ``stop`` is called."""
        slots = max(1, self.settings.receiver.workers)
        while not self._stopping:
            free = slots - len(self._running)
            claimed: list[Mention] = []
            if free > 0:
                claimed = await self.storage.claim(free, self.settings.receiver.claim_seconds)
            for mention in claimed:
                task = asyncio.create_task(self._verify_logged(mention))
                self._running[task] = mention
                task.add_done_callback(self._running.pop)
            if claimed and len(claimed) == free:
                # Full: wait for one slot to free up before claiming more.
                await asyncio.wait(list(self._running), return_when=asyncio.FIRST_COMPLETED)
                continue
            if not claimed:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)

    async def stop(self, grace: float | None = None) -> None:
        """Stop claiming; let in-flight checks finish for ``grace`` s, re-queue the rest."""
        grace = GRACE_SECONDS if grace is None else grace
        self._stopping = True
        self._wake.set()
        running = dict(self._running)
        if running:
            _done, pending = await asyncio.wait(list(running), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            await self.storage.release([running[t] for t in pending])
        if self._webhooks:
            await asyncio.wait(list(self._webhooks), timeout=grace)

    async def _verify_logged(self, mention: Mention) -> None:
        try:
            await self.verify(mention)
        except ClaimLost:
            logger.info("mention %s was re-sent while being verified; dropped the old check",
                        mention.source)  # fmt: skip
        except (OSError, ValueError) as exc:  # a database hiccup: the claim expires and retries
            logger.error("verifying %s -> %s failed: %s", mention.source, mention.target, exc)

    async def verify(self, mention: Mention) -> None:
        """Fetch, check and record one claimed mention."""
        try:
            response = await self.http.get(mention.source, headers={"Accept": ACCEPT})
        except AddressError as exc:
            await self._reject(mention, "refused", f"source refused: {exc.reason}")
            return
        except FetchError as exc:
            if exc.status is not None:  # it answered, but too much: that will not change
                await self._reject(mention, "no-source", f"source refused: {exc.reason}")
            else:
                await self._retry(mention, f"could not fetch the source: {exc.reason}")
            return
        if response.status in GONE:
            await self._reject(mention, "gone", f"the source answered {response.status}")
            return
        if response.status in TRANSIENT:
            await self._retry(mention, f"the source answered {response.status}")
            return
        if not 200 <= response.status < 300:
            await self._reject(mention, "no-source", f"the source answered {response.status}")
            return
        site = self.settings.site
        linked, html = links_to(
            response.text, response.content_type, response.url, mention.target, site
        )
        if not linked:
            await self._reject(mention, "no-link", "the source does not link to the target")
            return
        values = describe_source(html, response.url, mention.target, site)
        try:
            interaction = make_interaction(
                source=mention.source, target=mention.target, channels=(mention.protocol,),
                direction="in", **values,
            )  # fmt: skip
        except ValueError as exc:
            await self._reject(mention, "no-source", str(exc))
            return
        author_key = url_key(interaction.author.url)
        moderation = mention.moderation
        if moderation not in ("approved", "spam"):  # a decision already taken sticks
            known = {author_key} if author_key and await self.storage.has_approved_author(
                author_key
            ) else set()  # fmt: skip
            moderation = initial_status(
                interaction,
                policy=self.settings.moderation,
                rules=await self.rules.current(),
                known=known,
            )
        interaction = interaction.with_changes(status=moderation)
        api_state = "entry" if moderation == "approved" else _hidden(mention)
        who = interaction.author.name or interaction.author.url or "an unnamed author"
        revision = await self.storage.finish(
            mention, state="verified", moderation=moderation, api_state=api_state,
            interaction=interaction.to_record(), author_key=author_key,
            message=f"verified: a {interaction.kind} by {who}",
        )  # fmt: skip
        if moderation == "approved" and self.webhook_http and self.settings.receiver.webhook:
            task = asyncio.create_task(self._webhook(mention, interaction.kind, revision))
            self._webhooks.add(task)
            task.add_done_callback(self._webhooks.discard)

    async def _reject(self, mention: Mention, reason: str, message: str) -> None:
        """A failed check: deletes what an earlier check kept, else rejects."""
        was_kept = mention.api_state in ("entry", "deleted") or mention.interaction is not None
        state = "deleted" if was_kept else "rejected"
        await self.storage.finish(
            mention, state=state, reason=reason, message=message, api_state=_hidden(mention),
            interaction={},
        )  # fmt: skip

    async def _retry(self, mention: Mention, message: str) -> None:
        if mention.attempts >= self.settings.receiver.max_attempts:
            await self.storage.finish(
                mention,
                state="failed",
                reason="upstream",
                message=f"{message} (gave up after {mention.attempts} attempts)",
            )
            return
        delay = self.retry_base * 2 ** (mention.attempts - 1)
        await self.storage.retry(mention, delay, "upstream", f"{message}; will retry")

    async def _webhook(self, mention: Mention, kind: str, revision: int) -> None:
        assert self.webhook_http is not None
        body = {"source": mention.source, "target": mention.target, "kind": kind,
                "wm-id": revision}  # fmt: skip
        try:
            response = await self.webhook_http.post(
                self.settings.receiver.webhook,
                content=json.dumps(body).encode(),
                headers={"Content-Type": "application/json"},
            )
        except FetchError as exc:
            logger.warning("webhook %s failed: %s", self.settings.receiver.webhook, exc.reason)
            return
        if response.status >= 400:
            logger.warning(
                "webhook %s answered %s", self.settings.receiver.webhook, response.status
            )


def _hidden(mention: Mention) -> str:
    """The API state of a mention no longer shown: a deletion once it was served."""
    return "deleted" if mention.api_state in ("entry", "deleted") else ""
