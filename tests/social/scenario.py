"""One conversation under a post's Mastodon and Bluesky copies, on the fake servers.

Used by the tests, by ``bench/bench_social.py`` and by
``scripts/social_demo_data.py`` (which turns it into the demo's data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.social.fakes import FakeAppView, FakeMastodon, facet

XSS = (
    '<p>Lovely<script>alert("x")</script> <img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">click</a> <a href="https://ok.example/">ok</a></p>'
)
#: text with multi-byte characters before a facet: byte offsets differ from characters.
BSKY_TEXT = "Ça marche 🎉 — see https://dana.example/notes and #tincans, @eli.example"


@dataclass
class Conversation:
    mastodon: FakeMastodon
    appview: FakeAppView
    copy_mastodon: str = ""
    copy_bluesky: str = ""
    m: dict[str, str] = field(default_factory=dict)  # name -> Mastodon status URL
    m_ids: dict[str, str] = field(default_factory=dict)  # name -> Mastodon status id
    b: dict[str, str] = field(default_factory=dict)  # name -> bsky.app URL
    b_uris: dict[str, str] = field(default_factory=dict)  # name -> at-uri
    profiles: dict[str, str] = field(default_factory=dict)  # name -> profile URL


def converse(mastodon: FakeMastodon, appview: FakeAppView) -> Conversation:
    """The scenario: three levels of replies, refusing authors, pages of likes, hostile HTML."""
    c = Conversation(mastodon, appview)
    accounts = {
        name: mastodon.account(name, display_name, note)
        for name, display_name, note in [
            ("tamsin", "Tamsin Hale", "<p>Blogger.</p>"),
            ("ana", "Ana Ruiz", "<p>Reads blogs.</p>"),
            ("bob", "Bob Ade", ""),
            ("cleo", "Cleo Marsh", ""),
            ("mallory", "Mallory", ""),
            ("quiet", "Quiet Person", "<p>Please, no archives. <a href='#'>#NoBot</a></p>"),
        ]
    }
    root = mastodon.status(accounts["tamsin"], "<p>New post on the blog.</p>")
    c.copy_mastodon, c.m_ids["root"] = root["url"], root["id"]

    def toot(name: str, author: str, content: str, parent: str, **kw: str) -> None:
        status = mastodon.status(accounts[author], content, reply_to=parent, **kw)
        c.m[name], c.m_ids[name] = status["url"], status["id"]

    toot("ana", "ana", "<p>This is the one about bean cans, right?</p>", root["id"])
    toot(
        "bob",
        "bob",
        "<p><span class='h-card'>@ana</span> it is, and it is good.</p>",
        c.m_ids["ana"],
    )
    toot("cleo", "cleo", "<p>Agreed with both of you.</p>", c.m_ids["bob"])
    toot("tamsin", "tamsin", "<p>Thank you all three!</p>", c.m_ids["cleo"])
    toot("xss", "mallory", XSS, root["id"])
    toot("nobot", "quiet", "<p>I said something.</p>", root["id"])
    toot("direct", "ana", "<p>Psst, only for you.</p>", root["id"], visibility="direct")
    fans = [mastodon.account(f"fan{i}") for i in range(4)]
    mastodon.favourited[root["id"]] = [*fans, accounts["quiet"], accounts["ana"]]
    mastodon.reblogged[root["id"]] = [fans[0], fans[1], accounts["bob"]]
    c.profiles.update({name: account["url"] for name, account in accounts.items()})

    people = {
        "tamsin": appview.profile("tamsin.example", "Tamsin Hale"),
        "dana": appview.profile("dana.example", "Dana Ōkawa"),
        "eli": appview.profile("eli.example", "Eli"),
        "hidden": appview.profile("hidden.example", "Hidden", labels=("!no-unauthenticated",)),
        "nobridge": appview.profile("nobridge.example", "No Bridge", "Hi! #nobridge please"),
    }
    top = appview.post(people["tamsin"], "New post on the blog", rkey="3kpostroot")
    c.copy_bluesky = FakeAppView.web_url(top, "tamsin.example")
    facets = [
        facet(BSKY_TEXT, "https://dana.example/notes",
              {"$type": "app.bsky.richtext.facet#link", "uri": "https://dana.example/notes"}),
        facet(BSKY_TEXT, "#tincans", {"$type": "app.bsky.richtext.facet#tag", "tag": "tincans"}),
        facet(BSKY_TEXT, "@eli.example",
              {"$type": "app.bsky.richtext.facet#mention", "did": people["eli"]["did"]}),
    ]  # fmt: skip

    def skeet(name: str, author: str, text: str, parent: str, **kw) -> None:
        uri = appview.post(people[author], text, reply_to=parent, **kw)
        c.b_uris[name] = uri
        c.b[name] = FakeAppView.web_url(uri, people[author]["handle"])

    skeet("dana", "dana", BSKY_TEXT, top, facets=facets)
    skeet("eli", "eli", "Replying to Dana here.", c.b_uris["dana"])
    skeet("dana2", "dana", "And back to Eli.", c.b_uris["eli"])
    skeet("hidden", "hidden", "Only for logged-in eyes.", top)
    skeet("nobridge", "nobridge", "Do not carry me elsewhere.", top)
    appview.placeholders[top] = [
        ("notFound", f"at://{people['eli']['did']}/app.bsky.feed.post/3kgone"),
        ("blocked", "at://did:plc:blocker/app.bsky.feed.post/3kblocked"),
    ]
    likers = [appview.profile(f"liker{i}.example") for i in range(4)]
    appview.likes[top] = [p["did"] for p in likers] + [people["hidden"]["did"]]
    appview.reposts[top] = [likers[0]["did"], people["dana"]["did"], people["nobridge"]["did"]]
    c.profiles.update(
        {f"bsky-{k}": f"https://bsky.app/profile/{p['handle']}" for k, p in people.items()}
    )
    return c
