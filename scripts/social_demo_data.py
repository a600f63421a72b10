"""Regenerate the demo's Mastodon/Bluesky thread in ``data/`` by really collecting it.

The demo post ``content/posts/replies-from-elsewhere.md`` is syndicated to
``social.example`` and ``bsky.app``. This script plays that conversation on
the fake Mastodon server and Bluesky AppView of the tests (127.0.0.1), with a
blog reply and a Bridgy-relayed copy of one toot on a fake Webmention API,
runs ``collect_all`` into a scratch folder, then writes what was collected
into ``data/interactions.jsonl`` (replacing earlier records for that post)
with the fake servers' addresses turned into the demo's ``.example`` ones,
and copies the cached avatars into ``data/avatars/``.

Run from the repository root: ``.venv/bin/python scripts/social_demo_data.py``.
Running it twice gives the same files.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from beancan.avatars import avatar_file_name  # noqa: E402
from beancan.collect import collect_all  # noqa: E402
from beancan.model import interaction_from_record  # noqa: E402
from beancan.settings import BeancanSettings  # noqa: E402
from beancan.social.syndication import SyndicatedPost, parse_copy, write_manifest  # noqa: E402
from beancan.store import InteractionStore  # noqa: E402
from beancan.urls import url_key  # noqa: E402
from tests.social.fakes import FakeAppView, FakeMastodon, facet  # noqa: E402

POST = "https://tamsin.example/2026/08/replies-from-elsewhere/"
PUBLISHED = "2026-08-04T08:15:00+00:00"
ROOT_STATUS = "114200000000000001"
ROOT_RKEY = "3kreplieshome"
MASTODON = "https://social.example"
BLUESKY_CDN = "https://cdn.bsky.example"
NOOR = "Custom domain handles too? Asking as one 🙂 https://noor.example"


def play(mastodon: FakeMastodon, appview: FakeAppView) -> None:
    """The conversation under both copies, and what a Webmention API reports."""
    acct = {
        name: mastodon.account(name, display, note)
        for name, display, note in [
            ("tamsin", "Tamsin Hale", "<p>Writes at tamsin.example</p>"),
            ("samk", "Sam Kowalczyk", "<p>Notes at sam.example</p>"),
            ("jun", "Jun Ito", "<p>Reads everything twice.</p>"),
            ("marguerite", "Marguerite", "<p>Gardens, mostly.</p>"),
            ("quietreader", "Quiet Reader", "<p>Lurking. #nobot</p>"),
        ]
    }
    root = mastodon.status(
        acct["tamsin"], "<p>New on the blog: Replies from elsewhere</p>",
        status_id=ROOT_STATUS, created_at="2026-08-04T08:20:00.000Z",
    )  # fmt: skip
    sam = mastodon.status(
        acct["samk"], "<p>Finally. I have been copying replies into my blog by hand.</p>",
        reply_to=root["id"], created_at="2026-08-04T09:02:00.000Z",
    )  # fmt: skip
    jun = mastodon.status(
        acct["jun"], "<p>By hand, Sam? There are tools for this.</p>",
        reply_to=sam["id"], created_at="2026-08-04T09:40:00.000Z",
    )  # fmt: skip
    own = mastodon.status(
        acct["tamsin"], "<p>There are now, at least. This one reads the replies back home.</p>",
        reply_to=jun["id"], created_at="2026-08-04T10:05:00.000Z",
    )  # fmt: skip
    mastodon.status(
        acct["samk"], "<p>Then I shall retire the quill.</p>",
        reply_to=own["id"], created_at="2026-08-04T10:31:00.000Z",
    )  # fmt: skip
    mastodon.status(acct["quietreader"], "<p>Nice.</p>", reply_to=root["id"],
                    created_at="2026-08-04T11:00:00.000Z")  # fmt: skip
    mastodon.favourited[root["id"]] = [acct["samk"], acct["jun"], acct["marguerite"]]
    mastodon.reblogged[root["id"]] = [acct["jun"]]

    people = {
        "tamsin": appview.profile("tamsin.example", "Tamsin Hale"),
        "noor": appview.profile("noor.example", "Noor Haddad", "Posts from noor.example"),
        "pell": appview.profile("pell.example", "Pell"),
        "shy": appview.profile("shy.example", "Shy", labels=("!no-unauthenticated",)),
    }
    top = appview.post(people["tamsin"], "New on the blog: Replies from elsewhere",
                       rkey=ROOT_RKEY, created_at="2026-08-04T08:21:00.000Z")  # fmt: skip
    link = {"$type": "app.bsky.richtext.facet#link", "uri": "https://noor.example"}
    noor = appview.post(
        people["noor"], NOOR, reply_to=top, facets=[facet(NOOR, "https://noor.example", link)],
        created_at="2026-08-04T12:14:00.000Z",
    )  # fmt: skip
    answer = appview.post(people["tamsin"], "They do: your handle is your address here too.",
                          reply_to=noor, created_at="2026-08-04T12:30:00.000Z")  # fmt: skip
    appview.post(people["noor"], "Then I am at home twice.", reply_to=answer,
                 created_at="2026-08-04T12:48:00.000Z")  # fmt: skip
    appview.post(people["shy"], "Only for people logged in.", reply_to=top,
                 created_at="2026-08-04T13:00:00.000Z")  # fmt: skip
    appview.likes[top] = [people["noor"]["did"], people["pell"]["did"]]
    appview.reposts[top] = [people["pell"]["did"]]

    mastodon.jf2 = [
        {  # a blog reply, as any Webmention API reports it
            "type": "entry", "wm-id": 9101, "wm-property": "in-reply-to",
            "wm-source": "https://rafe.example/notes/2026/08/05/elsewhere/", "wm-target": POST,
            "url": "https://rafe.example/notes/2026/08/05/elsewhere/",
            "published": "2026-08-05T07:30:00+00:00",
            "author": {"type": "card", "name": "Rafe Okonkwo", "url": "https://rafe.example/"},
            "content": {"html": "<p>Good. Now the shop counter and the pub table are one room. "
                                "I may even start answering on Mastodon.</p>"},
            "in-reply-to": [POST],
        },
        {  # Jun's toot again, relayed by Bridgy: stored once, with both channels
            "type": "entry", "wm-id": 9102, "wm-property": "in-reply-to",
            "wm-source": f"https://brid.gy/comment/mastodon/@tamsin/{ROOT_STATUS}/{jun['id']}",
            "wm-target": POST, "url": jun["url"], "published": jun["created_at"],
            "author": {"type": "card", "name": "Jun Ito", "url": acct["jun"]["url"]},
            "content": {"html": jun["content"]},
            "in-reply-to": [root["url"], POST],
        },
    ]  # fmt: skip


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    mastodon, appview = FakeMastodon(page_size=80), FakeAppView(page_size=100)
    try:
        with tempfile.TemporaryDirectory(prefix="beancan-social-demo-") as tmp:
            scratch = Path(tmp)
            play(mastodon, appview)
            copies = (f"{mastodon.base}/@tamsin/{ROOT_STATUS}",
                      f"https://bsky.app/profile/tamsin.example/post/{ROOT_RKEY}")  # fmt: skip
            write_manifest(
                scratch, [SyndicatedPost(POST, PUBLISHED, tuple(parse_copy(c) for c in copies))]
            )
            settings = BeancanSettings(
                siteurl="http://127.0.0.1:8000", site_aliases=("https://tamsin.example",),
                data_dir=scratch, allow_private_addresses=True, moderation="open",
                bluesky_appview=appview.base, people_fetch_per_run=0,
                webmention_apis=({"url": f"{mastodon.base}/api/mentions.jf2"},),
            )  # fmt: skip
            reports = asyncio.run(collect_all(settings))
            failed = [r for r in reports if r.failed]
            if failed:
                sys.exit(f"collect failed: {failed}")
            write_demo(scratch, {mastodon.base: MASTODON, appview.base: BLUESKY_CDN})
    finally:
        mastodon.close()
        appview.close()


def write_demo(scratch: Path, hosts: dict[str, str]) -> None:
    """Put what was collected into ``data/``, under the demo's addresses, with fixed dates."""
    data = ROOT / "data"
    store = InteractionStore.load(data)
    store.remove([k for k, i in store.items() if url_key(i.target) == url_key(POST)])
    added = 0
    for interaction in InteractionStore.load(scratch):
        text = json.dumps(interaction.to_record())
        for fake, real in hosts.items():
            text = text.replace(fake, real)
        record = json.loads(text)
        # Seen half an hour after it was written: the demo does not change with the clock.
        seen = _later(record.get("published") or PUBLISHED)
        record["first_seen"] = record["last_seen"] = seen
        if record["author"].get("url") == "https://rafe.example/":
            record["avatar"] = "rafe.svg"  # his avatar in the rest of the demo's data
        elif record.get("avatar"):
            who = record["author"].get("url") or record["author"].get("photo")
            name = avatar_file_name(who, ".png")
            shutil.copyfile(scratch / "avatars" / record["avatar"], data / "avatars" / name)
            record["avatar"] = name
        store.merge(interaction_from_record(record, "collected"), seen)
        added += 1
    store.save()
    print(f"{added} interactions written for {POST}")


def _later(date: str) -> str:
    from datetime import timedelta

    from beancan.dates import parse_date

    return (parse_date(date) + timedelta(minutes=30)).isoformat()


if __name__ == "__main__":
    main()
