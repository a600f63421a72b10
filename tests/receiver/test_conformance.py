"""Receiver conformance, modeled on webmention.rocks' receiver tests.

Each test runs on SQLite and on PostgreSQL (the ``database`` fixture).
"""

from __future__ import annotations

import pytest

from tests.receiver.conftest import POST, SITE, Page, mentions, send, wait_done


def test_accepts_a_valid_webmention_with_202_and_a_status_location(receiver, source_site):
    client = receiver()
    source = source_site.reply("/reply/1")
    response = send(client, source)
    assert response.status_code == 202
    location = response.headers["location"]
    assert location.startswith(f"{client.base_url}/webmention/status/")
    assert response.json()["status"] == "queued"
    status = wait_done(client, location)
    assert status["status"] == "verified"
    assert status["message"].startswith("Your page links to the post")
    [entry] = mentions(client, target=POST)
    assert entry["wm-source"] == source
    assert entry["wm-target"] == POST
    assert entry["wm-property"] == "in-reply-to"
    assert entry["in-reply-to"] == POST
    assert entry["author"] == {"type": "card", "name": "Bea Reader",
                               "url": "https://bea.example/", "photo": ""}  # fmt: skip
    assert entry["content"] == {"html": "<p>Nice post!</p>", "text": "Nice post!"}
    assert entry["published"] == "2026-02-03T04:05:06+00:00"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"target": POST}, "The source parameter is missing."),
        ({"source": "https://bea.example/r"}, "The target parameter is missing."),
        ({"source": "ftp://bea.example/r", "target": POST},
         "The source 'ftp://bea.example/r' is not an http(s) URL."),
        ({"source": "javascript:alert(1)", "target": POST},
         "The source 'javascript:alert(1)' is not an http(s) URL."),
        ({"source": "https://bea.example/r", "target": "mailto:me@site.example"},
         "The target 'mailto:me@site.example' is not an http(s) URL."),
        ({"source": "http://[bad/", "target": POST},
         "The source 'http://[bad/' is not a well-formed URL."),
        ({"source": "https://bea.example/r", "target": "https://elsewhere.example/p/"},
         "The target https://elsewhere.example/p/ is not on this site "
         "(site.example, www.site.example)."),
        ({"source": POST, "target": POST}, "The source and the target are the same URL."),
        ({"source": f"{SITE}/2026/01/a-post", "target": POST.replace("https", "http")},
         "The source and the target are the same URL."),
    ],
)  # fmt: skip
def test_rejects_each_invalid_request_with_400_and_a_clear_message(receiver, form, message):
    client = receiver()
    response = client.post("/webmention", data=form)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_rejects_a_body_that_is_not_form_encoded(receiver):
    response = receiver().post("/webmention", json={"source": "https://a.example/", "target": POST})
    assert response.status_code == 400
    assert "application/x-www-form-urlencoded" in response.json()["error"]


def test_a_resent_webmention_updates_the_mention(receiver, source_site):
    client = receiver()
    source = source_site.reply("/reply/2", text="First draft")
    first = wait_done(client, send(client, source).headers["location"])
    [before] = mentions(client)
    source_site.reply("/reply/2", text="Second, better draft")
    again = send(client, source)
    assert again.status_code == 202
    assert again.headers["location"] == first["location"]
    assert wait_done(client, again.headers["location"])["status"] == "verified"
    [after] = mentions(client)
    assert after["content"]["text"] == "Second, better draft"
    assert after["wm-id"] > before["wm-id"]


def test_a_source_answering_410_deletes_the_mention(receiver, source_site):
    client = receiver()
    source = source_site.reply("/reply/3")
    wait_done(client, send(client, source).headers["location"])
    assert len(mentions(client)) == 1
    source_site.pages["/reply/3"] = Page(410, "gone")
    status = wait_done(client, send(client, source).headers["location"])
    assert status["status"] == "deleted"
    assert mentions(client) == []
    [deletion] = mentions(client, token="secret")
    assert deletion["wm-deleted"] is True
    assert deletion["wm-source"] == source
    assert "content" not in deletion


def test_a_source_that_no_longer_links_deletes_the_mention(receiver, source_site):
    client = receiver()
    source = source_site.reply("/reply/4")
    wait_done(client, send(client, source).headers["location"])
    source_site.pages["/reply/4"] = Page(body="<p>I changed my mind.</p>")
    status = wait_done(client, send(client, source).headers["location"])
    assert status["status"] == "deleted"
    assert status["message"].endswith("the source does not link to the target.")
    assert [m["wm-deleted"] for m in mentions(client, token="secret")] == [True]


def test_a_source_that_never_linked_is_rejected(receiver, source_site):
    client = receiver()
    source_site.pages["/nolink"] = Page(body="<a href='https://site.example/other/'>x</a>")
    status = wait_done(client, send(client, source_site.url("/nolink")).headers["location"])
    assert status["status"] == "rejected"
    assert mentions(client, token="secret") == []


def test_a_link_in_another_form_of_our_url_counts(receiver, source_site):
    client = receiver()
    # The page links to the www alias over http; the target was sent as https.
    source = source_site.reply("/reply/5", target="http://www.site.example/2026/01/a-post")
    status = wait_done(client, send(client, source).headers["location"])
    assert status["status"] == "verified"


def test_the_reply_form_gets_a_readable_page(receiver, source_site):
    client = receiver()
    source = source_site.reply("/reply/6")
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    response = send(client, source, **browser)
    assert response.status_code == 202
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Webmention received</h1>" in response.text
    assert f'<a href="{POST}">Back to the post</a>' in response.text
    wait_done(client, response.headers["location"])
    page = client.get(response.headers["location"], headers=browser)
    assert "<h1>Webmention verified</h1>" in page.text
    refused = send(client, "not a url", **browser)
    assert refused.status_code == 400
    assert "<h1>Webmention not accepted</h1>" in refused.text
    assert "is not an http(s) URL" in refused.text


def test_an_unknown_status_address_is_404(receiver):
    assert receiver().get("/webmention/status/nope").status_code == 404
