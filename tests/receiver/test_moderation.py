"""Moderation in the receiver: the store's policies, and ``invoke moderate --receiver``."""

from __future__ import annotations

from beancan.receiver.decisions import run_receiver_moderation
from tests.receiver.conftest import make_settings, mentions, send, wait_done


def _verify(client, source_site, path: str, **extra: str) -> str:
    source = source_site.reply(path, **extra)
    assert wait_done(client, send(client, source).headers["location"])["status"] == "verified"
    return source


def test_manual_policy_holds_mentions_until_approved(tmp_path, database, receiver, source_site):
    client = receiver(moderation="manual")
    source = _verify(client, source_site, "/m/1")
    assert mentions(client) == []
    settings = make_settings(tmp_path, database, moderation="manual")
    listing = run_receiver_moderation(settings, [], [])
    assert listing.splitlines()[0] == "1 receiver mention(s) wait for moderation"
    assert f"source {source}" in listing
    report = run_receiver_moderation(settings, [source], [])
    assert report.splitlines()[:2] == [
        f"approved source {source.split('://')[1]}: 1 receiver mention(s) now approved",
        "0 receiver mention(s) wait for moderation",
    ]
    [entry] = mentions(client)
    assert entry["wm-source"] == source


def test_known_policy_approves_an_author_approved_before(tmp_path, database, receiver, source_site):
    client = receiver(moderation="known")
    first = _verify(client, source_site, "/k/1")
    assert mentions(client) == []
    run_receiver_moderation(make_settings(tmp_path, database), [first], [])
    second = _verify(client, source_site, "/k/2")
    assert {m["wm-source"] for m in mentions(client)} == {first, second}
    _verify(client, source_site, "/k/3", author="Cy", author_url="https://cy.example/")
    assert {m["wm-source"] for m in mentions(client)} == {first, second}


def test_blocking_a_domain_turns_served_mentions_into_deletions(
    tmp_path, database, receiver, source_site
):
    client = receiver(moderation="open")
    source = _verify(client, source_site, "/b/1")
    assert len(mentions(client)) == 1
    report = run_receiver_moderation(make_settings(tmp_path, database), [], ["127.0.0.1"], "domain")
    assert report.splitlines()[0] == "blocked domain 127.0.0.1: 1 receiver mention(s) now spam"
    assert mentions(client) == []
    [deletion] = mentions(client, token="secret")
    assert (deletion["wm-source"], deletion["wm-deleted"]) == (source, True)


def test_trusted_domains_are_approved_under_manual_policy(receiver, source_site):
    client = receiver(moderation="manual", receiver_trusted_domains=("127.0.0.1",))
    source = _verify(client, source_site, "/t/1")
    assert [m["wm-source"] for m in mentions(client)] == [source]
