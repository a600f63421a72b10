"""The rel=me collector against web sites on 127.0.0.1: merges, claims, failures, bounds."""

from __future__ import annotations

import asyncio
from pathlib import Path

from beancan.collect import registered_collectors
from beancan.collecting import CollectContext
from beancan.graph import PeopleIndex, PersonRecord, read_people, write_people
from beancan.http import HttpClient
from beancan.model import make_interaction
from beancan.moderation import ModerationRules
from beancan.people_collect import collect_people, pages_due
from beancan.settings import BeancanSettings
from beancan.store import InteractionStore

OUR_SITE = "https://me.example"
POST = "https://me.example/2026/01/p/"
STARTED = "2026-03-01T12:00:00+00:00"


def settings(data: Path, **values) -> BeancanSettings:
    return BeancanSettings.of(
        siteurl=OUR_SITE, data_dir=data, allow_private_addresses=True, **values
    )  # fmt: skip


def store_with(data: Path, *authors: tuple[str, int]) -> InteractionStore:
    """A store where each (author URL, n) wrote n approved replies to our post."""
    store = InteractionStore(data / "interactions.jsonl")
    for author, count in authors:
        for number in range(count):
            store.merge(
                make_interaction(
                    source=f"{author.rstrip('/')}/replies/{number}/",
                    target=POST,
                    kind="reply",
                    author={"name": "Someone", "url": author},
                    published="2026-02-01",
                    status="approved",
                )
            )
    return store


def run(config: BeancanSettings, store: InteractionStore) -> list:
    async def go() -> list:
        async with HttpClient.from_settings(config) as http:
            context = CollectContext(
                config, store, http, ModerationRules.load(config.data_dir), started=STARTED
            )
            return await collect_people(context)

    return asyncio.run(go())


def index(config: BeancanSettings) -> PeopleIndex:
    return PeopleIndex(
        config.author_urls, config.conversations.person_aliases, read_people(config.data_dir)
    )


def test_two_pages_linking_each_other_with_rel_me_are_one_person(sites, tmp_path):
    home, social = sites[0], sites[1]
    home_url = home.home("/", rel_me=(social.url("/@sam"),))
    social_url = social.home("/@sam", rel_me=(home_url,))
    config = settings(tmp_path)

    assert run(config, store_with(tmp_path, (home_url, 2), (social_url, 1))) == []

    people = index(config)
    # A personal domain is the home; the profile is an alias of it.
    assert people.home_of(social.url("/@sam/statuses/1")) == home_url
    assert people.aliases_of(home_url) == [social_url]
    assert {(r.url, r.rel_me, r.fetched) for r in read_people(tmp_path)} == {
        (home_url, (social_url,), STARTED),
        (social_url, (home_url,), STARTED),
    }


def test_a_one_sided_claim_merges_nothing(sites, tmp_path):
    rafe = sites[0].home("/")
    impostor = sites[1].home("/", rel_me=(rafe,))
    config = settings(tmp_path)

    run(config, store_with(tmp_path, (rafe, 1), (impostor, 1)))

    people = index(config)
    assert people.home_of(sites[1].url("/post/")) == impostor
    assert people.aliases_of(rafe) == []


def test_claiming_our_site_does_not_make_anyone_us(sites, tmp_path):
    claimant = sites[0].home("/", rel_me=(OUR_SITE + "/",))
    config = settings(tmp_path)

    run(config, store_with(tmp_path, (claimant, 1)))

    assert not index(config).is_me(claimant)
    # Our own pages are never fetched: our rel=me list is in the settings.
    assert sites[0].requests == ["/"]


def test_a_claimed_page_is_fetched_in_the_same_run_to_confirm_it(sites, tmp_path):
    home, social = sites[0], sites[1]
    home_url = home.home("/", rel_me=(social.url("/@sam"),))
    social_url = social.home("/@sam", rel_me=(home_url,))
    config = settings(tmp_path)

    # The store only knows the profile (Bridgy relayed it); it points at the home page.
    run(config, store_with(tmp_path, (social_url, 1)))

    assert home.requests == ["/"]
    assert index(config).home_of(social_url) == home_url


def test_a_failing_fetch_keeps_the_cached_links(sites, tmp_path):
    home_url = sites[0].home("/", status=500)
    other = sites[1].url("/@sam")
    write_people(tmp_path, [PersonRecord(home_url, (other,), fetched="2025-01-01T00:00:00+00:00")])
    config = settings(tmp_path)

    run(config, store_with(tmp_path, (home_url, 1)))

    [record] = [r for r in read_people(tmp_path) if r.url == home_url]
    assert (record.rel_me, record.fetched, record.failed, record.error) == (
        (other,), "2025-01-01T00:00:00+00:00", STARTED, "answered HTTP 500",
    )  # fmt: skip


def test_at_most_the_set_number_of_pages_per_run_most_active_first(sites, tmp_path):
    homes = [site.home("/") for site in sites]
    config = settings(tmp_path, people_fetch_per_run=2)
    store = store_with(tmp_path, (homes[0], 1), (homes[1], 4), (homes[2], 3), (homes[3], 2))

    run(config, store)
    assert [len(site.requests) for site in sites] == [0, 1, 1, 0]

    run(config, store)
    # Fetched today, so not again: the next two in line.
    assert [len(site.requests) for site in sites] == [1, 1, 1, 1]


def test_pages_are_fetched_again_after_the_refresh_days():
    records = {
        "a.example": PersonRecord("https://a.example/", fetched="2026-02-20T00:00:00+00:00"),
        "b.example": PersonRecord("https://b.example/", fetched="2026-01-01T00:00:00+00:00"),
        "c.example": PersonRecord("https://c.example/", failed="2026-01-15T00:00:00+00:00"),
    }
    candidates = ["https://a.example/", "https://b.example/", "https://c.example/",
                  "https://new.example/"]  # fmt: skip
    due = pages_due(candidates, records, now=STARTED, refresh_days=30)
    assert due == ["https://new.example/", "https://b.example/", "https://c.example/"]
    assert pages_due(candidates, records, now=STARTED, refresh_days=0)[0] == "https://new.example/"


def test_a_budget_of_zero_fetches_nothing(sites, tmp_path):
    home_url = sites[0].home("/")
    run(settings(tmp_path, people_fetch_per_run=0), store_with(tmp_path, (home_url, 1)))
    assert sites[0].requests == []
    assert not (tmp_path / "people.jsonl").exists()


def test_the_collector_runs_last_in_invoke_collect():
    names = [name for name, _ in registered_collectors()]
    # The Mastodon and Bluesky collectors (issue 14) come after the Webmention
    # APIs, so a Bridgy-relayed copy collected in the same run is joined at once.
    assert names == ["webmention APIs", "peer feeds", "Mastodon copies", "Bluesky copies",
                     "people's home pages"]  # fmt: skip
