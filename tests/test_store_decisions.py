"""The author's decisions about the store (``beancan.store_decisions``): moderate and forget."""

from __future__ import annotations

import asyncio

import pytest

from beancan.collecting import CollectContext, SourceReport
from beancan.http import HttpClient
from beancan.model import make_interaction
from beancan.moderation import ModerationRules
from beancan.settings import BeancanSettings
from beancan.store import InteractionStore
from beancan.store_decisions import forget_url, run_moderation

POST = "https://tamsin.example/2026/03/the-smile-is-free/"


def response(source, author_url, status="pending", **extra):
    return make_interaction(
        source=source, target=POST, kind="reply", in_reply_to=[POST], status=status,
        author={"name": "Someone", "url": author_url}, content_html="<p>hello</p>", **extra,
    )  # fmt: skip


@pytest.fixture
def settings(tmp_path):
    store = InteractionStore.load(tmp_path)
    store.merge(response("https://new.example/1", "https://new.example/"))
    store.merge(response("https://new.example/2", "https://new.example/"))
    store.merge(response("https://bad.example/1", "https://bad.example/", avatar="bad.png"))
    store.merge(response("https://ok.example/1", "https://ok.example/", status="approved"))
    store.save()
    (tmp_path / "avatars").mkdir()
    (tmp_path / "avatars" / "bad.png").write_bytes(b"png")
    return BeancanSettings.of(data_dir=tmp_path, moderation="known")


def statuses(settings):
    return {i.source: i.status for i in InteractionStore.load(settings.data_dir)}


def test_moderate_lists_what_waits(settings):
    report = run_moderation(settings, [], [])
    assert "3 interaction(s) wait for moderation" in report
    assert "https://new.example/1" in report and "https://ok.example/1" not in report


def test_approve_by_author_approves_all_their_pending(settings):
    run_moderation(settings, ["https://new.example/"], [], by="author")
    assert statuses(settings)["https://new.example/1"] == "approved"
    assert statuses(settings)["https://new.example/2"] == "approved"
    assert statuses(settings)["https://bad.example/1"] == "pending"


def test_approve_by_source_approves_one(settings):
    run_moderation(settings, ["https://new.example/2"], [], by="source")
    assert statuses(settings)["https://new.example/1"] == "pending"
    assert statuses(settings)["https://new.example/2"] == "approved"


def test_blocked_domain_stays_blocked_for_later_collects(settings):
    run_moderation(settings, [], ["bad.example"], by="domain")
    assert statuses(settings)["https://bad.example/1"] == "spam"
    store = InteractionStore.load(settings.data_dir)
    context = CollectContext(
        BeancanSettings.of(data_dir=settings.data_dir, moderation="open"),
        store,
        HttpClient(user_agent="test"),
        ModerationRules.load(settings.data_dir),
    )
    result = context.add(response("https://www.bad.example/later", "https://bad.example/"),
                         SourceReport("test"))  # fmt: skip
    asyncio.run(context.http.aclose())
    assert result.interaction.status == "spam"


def test_forget_removes_records_and_the_avatar(settings):
    message = forget_url(settings, "https://bad.example/")
    assert message.startswith("forgot 1 interaction(s) and 1 avatar file(s)")
    assert "https://bad.example/1" not in statuses(settings)
    assert not (settings.data_dir / "avatars" / "bad.png").exists()
    assert len(statuses(settings)) == 3
