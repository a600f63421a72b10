"""Requests made by the Mastodon and Bluesky collectors, counted by the fake servers.

Workloads (the fake servers of ``tests/social/fakes.py`` on 127.0.0.1, page
sizes as the real servers serve them: 80 accounts, 100 actors):

* 100 posts, each with a Mastodon and a Bluesky copy holding 3 replies,
  2 likes and 1 repost; all published today (read on every run). First
  collect, then a second one with nothing new. The baseline is the same
  second collect as a full re-sync (``--full``: every list read again).
* The same 100 posts aged 1 to 300 days: a second collect an hour later
  reads only the copies the schedule says are due.
* One post with 200 replies (a chain of 20 under each of 10 top-level
  replies) and 150 likes on each network; Mastodon anonymous (its public
  context stops at 60) and with a token.

Run ``python bench/bench_social.py [--quick]``; ``run()`` returns the rows for
``invoke bench``. Counts do not depend on the machine; quick mode only
shrinks the 100 posts to 20.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from beancan.collect import collect_all  # noqa: E402
from beancan.settings import BeancanSettings  # noqa: E402
from beancan.social.syndication import SyndicatedPost, parse_copy, write_manifest  # noqa: E402
from beancan.store import InteractionStore  # noqa: E402
from tests.social.fakes import FakeAppView, FakeMastodon  # noqa: E402

SITEURL = "https://bench.example"


def _settings(data: Path, appview: FakeAppView, **overrides) -> BeancanSettings:
    values = dict(
        siteurl=SITEURL, data_dir=data, allow_private_addresses=True, moderation="open",
        bluesky_appview=appview.base, people_fetch_per_run=0,
    )  # fmt: skip
    values.update(overrides)
    return BeancanSettings.of(**values)


def _small_threads(mastodon: FakeMastodon, appview: FakeAppView, posts: int) -> list[tuple]:
    """``posts`` pairs of copies, each with 3 replies, 2 likes, 1 repost."""
    author, fans = mastodon.account("author"), [mastodon.account(f"fan{i}") for i in range(3)]
    me, people = appview.profile("me.example"), [appview.profile(f"p{i}.example") for i in range(3)]
    copies = []
    for _ in range(posts):
        root = mastodon.status(author, "<p>A post</p>")
        first = mastodon.status(fans[0], "<p>Reply</p>", reply_to=root["id"])
        mastodon.status(fans[1], "<p>Reply to reply</p>", reply_to=first["id"])
        mastodon.status(fans[2], "<p>Another</p>", reply_to=root["id"])
        mastodon.favourited[root["id"]] = fans[:2]
        mastodon.reblogged[root["id"]] = fans[2:]
        top = appview.post(me, "A post")
        one = appview.post(people[0], "Reply", reply_to=top)
        appview.post(people[1], "Reply to reply", reply_to=one)
        appview.post(people[2], "Another", reply_to=top)
        appview.likes[top] = [p["did"] for p in people[:2]]
        appview.reposts[top] = [people[2]["did"]]
        copies.append((root["url"], FakeAppView.web_url(top, "me.example")))
    return copies


def _manifest(data: Path, copies: list[tuple], ages: list[int]) -> None:
    now = datetime.now(UTC)
    write_manifest(
        data,
        [
            SyndicatedPost(
                f"{SITEURL}/posts/{n}/",
                (now - timedelta(days=age)).replace(microsecond=0).isoformat(),
                tuple(parse_copy(u) for u in pair),
            )
            for n, (pair, age) in enumerate(zip(copies, ages, strict=True))
        ],
    )


def _api(requests: list[str]) -> list[str]:
    """Requests to the APIs, leaving out avatar images (fetched once per author)."""
    return [r for r in requests if not r.startswith(("/avatars/", "/img/avatar/"))]


def _count(servers, action) -> int:
    """API requests the servers answered during ``action()``."""
    before = [len(s.requests) for s in servers]
    action()
    return sum(len(_api(s.requests[b:])) for s, b in zip(servers, before, strict=True))


def _many_posts(posts: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="beancan-bench-social-") as tmp:
        mastodon, appview = FakeMastodon(page_size=80), FakeAppView(page_size=100)
        try:
            copies = _small_threads(mastodon, appview, posts)
            servers = (mastodon, appview)
            for label, ages in (
                ("published today", [0] * posts),
                ("aged 1-300 days, an hour later", [1 + (n * 3) % 300 for n in range(posts)]),
            ):
                data = Path(tmp) / label.split()[0]
                _manifest(data, copies, ages)
                settings = _settings(data, appview)
                first = _count(servers, lambda s=settings: asyncio.run(collect_all(s)))
                if "hour" in label:
                    _age_checks(data, timedelta(hours=1))
                second = _count(servers, lambda s=settings: asyncio.run(collect_all(s)))
                full = _count(
                    servers, lambda s=settings: asyncio.run(collect_all(s, full_resync=True))
                )
                rows.append({
                    "workload": f"{posts} posts x 2 copies, nothing new ({label}): API requests",
                    "beancan": second, "baseline": full, "ratio": round(full / max(second, 1), 2),
                    "target": f"first collect {first}; baseline = --full",
                })  # fmt: skip
        finally:
            mastodon.close()
            appview.close()
    return rows


def _age_checks(data: Path, by: timedelta) -> None:
    """Move every recorded check back in time, as if the first collect ran ``by`` ago."""
    from beancan.dates import parse_date
    from beancan.social.state import SocialState

    state = SocialState.load(data)
    for copy in state.copies.values():
        if copy.checked:
            copy.checked = (parse_date(copy.checked) - by).isoformat()
    state.save()


def _big_thread() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="beancan-bench-social-") as tmp:
        mastodon, appview = FakeMastodon(page_size=80), FakeAppView(page_size=100)
        try:
            author = mastodon.account("author")
            me = appview.profile("me.example")
            root, top = mastodon.status(author, "<p>Big</p>"), appview.post(me, "Big")
            for chain in range(10):
                m_parent, b_parent = root["id"], top
                person = mastodon.account(f"talker{chain}")
                profile = appview.profile(f"talker{chain}.example")
                for _ in range(20):
                    m_parent = mastodon.status(person, "<p>Yes</p>", reply_to=m_parent)["id"]
                    b_parent = appview.post(profile, "Yes", reply_to=b_parent)
            fans = [mastodon.account(f"fan{i}") for i in range(150)]
            likers = [appview.profile(f"liker{i}.example") for i in range(150)]
            mastodon.favourited[root["id"]] = fans
            appview.likes[top] = [p["did"] for p in likers]
            host = root["url"].split("/")[2]
            for label, overrides in (("anonymous", {}), ("with a token", {
                "mastodon_tokens": {host: "t0ken"}})):  # fmt: skip
                data = Path(tmp) / label.replace(" ", "-")
                _manifest(data, [(root["url"], FakeAppView.web_url(top, "me.example"))], [0])
                settings = _settings(data, appview, **overrides)
                counts = [len(server.requests) for server in (mastodon, appview)]
                asyncio.run(collect_all(settings))
                first = [
                    len(_api(s.requests[b:]))
                    for s, b in zip((mastodon, appview), counts, strict=True)
                ]
                second = _count((mastodon, appview), lambda s=settings: asyncio.run(collect_all(s)))

                stored = InteractionStore.load(data)
                replies = [
                    sum(1 for i in stored if i.kind == "reply" and channel in i.channels)
                    for channel in ("mastodon", "bluesky")
                ]
                rows.append({
                    "workload": f"1 post, 200 replies + 150 likes per network, Mastodon {label}: "
                                "first collect API requests (Mastodon + Bluesky)",
                    "beancan": f"{first[0]} + {first[1]}", "baseline": "—", "ratio": "—",
                    "target": f"replies stored {replies[0]} + {replies[1]}; then {second}",
                })  # fmt: skip
        finally:
            mastodon.close()
            appview.close()
    return rows


def run(quick: bool = False) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    logging.getLogger("beancan").setLevel(logging.ERROR)
    return _many_posts(20 if quick else 100) + _big_thread()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true")
    for row in run(parser.parse_args().quick):
        print(f"{row['workload']}: {row['beancan']} (baseline {row['baseline']}; {row['target']})")


if __name__ == "__main__":
    main()
