"""The receiver with the other half of the pipeline: ``send`` in, ``collect`` out.

Site B's sender (beancan.webmention.send) notifies A's receiver; A's collect
(beancan.collect.collect_all, with the receiver as a JF2 API) brings B's reply
into A's store; B deletes the reply, re-sends, and the next collect removes it.
The full three-level, two-site loop with builds is described in the report
of issue 7.
"""

from __future__ import annotations

import asyncio

from beancan.collect import collect_all
from beancan.http import HttpClient
from beancan.receiver import create_app
from beancan.store import InteractionStore
from beancan.webmention.send import send_webmention
from tests.receiver.conftest import POST, Page, make_settings, wait_done


def _send(settings, endpoint: str, source: str) -> str:
    async def go() -> str:
        async with HttpClient.from_settings(settings) as http:
            outcome = await send_webmention(http, endpoint, source, POST)
        assert outcome.status == "sent", outcome
        return outcome.location

    return asyncio.run(go())


def test_sent_reply_is_collected_and_its_deletion_too(tmp_path, running, source_site):
    receiver = running(create_app(make_settings(tmp_path)))
    settings = make_settings(
        tmp_path,
        webmention_apis=({"url": f"{receiver.base_url}/api/mentions.jf2", "token": "secret"},),
    )
    endpoint = f"{receiver.base_url}/webmention"
    source = source_site.reply("/b/reply", text="Hello from site B")
    location = _send(settings, endpoint, source)
    assert wait_done(receiver.client, location)["status"] == "verified"

    [report] = asyncio.run(collect_all(settings))
    assert (report.new, report.failed) == (1, "")
    stored = InteractionStore.load(settings.data_dir).get(source, POST)
    assert stored is not None
    assert (stored.kind, stored.author.name, stored.content_text, stored.status) == (
        "reply", "Bea Reader", "Hello from site B", "approved",
    )  # fmt: skip

    source_site.pages["/b/reply"] = Page(410, "gone")
    assert wait_done(receiver.client, _send(settings, endpoint, source))["status"] == "deleted"
    [report] = asyncio.run(collect_all(settings))
    assert report.deleted == 1
    assert InteractionStore.load(settings.data_dir).get(source, POST).status == "deleted"
