"""A fake Mastodon server and a fake Bluesky AppView on 127.0.0.1, emitting the real shapes.

Mastodon: ``Status``, ``Account`` and ``Context`` entities as
https://docs.joinmastodon.org/entities/ describes them, the anonymous
context limit (60 descendants), ``Link: rel="next"`` pages with ``max_id``.
Bluesky: ``threadViewPost``/``postView``/``profileViewBasic`` and the
``notFoundPost``/``blockedPost`` placeholders of ``app.bsky.feed.getPostThread``,
``cursor`` pages of ``getLikes``/``getRepostedBy``, the ``NotFound`` error.
Both count every request they answer.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, Any, dict[str, str]]


class _JsonServer:
    """A threaded HTTP server answering GETs with JSON from ``self.answer``."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.headers_seen: list[dict[str, str]] = []
        #: path -> bytes answered as they are, whatever the request.
        self.raw: dict[str, bytes] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                owner.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
                parts = urlsplit(self.path)
                seen = {k.lower(): v for k, v in self.headers.items()}
                try:
                    if parts.path in owner.raw:  # a hostile answer set by a test
                        status, body, headers = 200, owner.raw[parts.path], {}
                    else:
                        status, body, headers = owner.answer(
                            parts.path, parse_qs(parts.query), seen
                        )
                except KeyError:
                    status, body, headers = 404, {"error": "Record not found"}, {}
                if isinstance(body, bytes):  # an avatar, or a raw answer
                    data, content_type = body, "image/png"
                else:
                    data, content_type = (
                        json.dumps(body).encode(),
                        "application/json; charset=utf-8",
                    )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer:
        raise NotImplementedError

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class FakeMastodon(_JsonServer):
    """One Mastodon server: statuses, who favourited and reblogged them, a JF2 relay."""

    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.page_size = page_size  # what the server really serves a page, whatever is asked
        self.statuses: dict[str, dict[str, Any]] = {}
        self.favourited: dict[str, list[dict[str, Any]]] = {}
        self.reblogged: dict[str, list[dict[str, Any]]] = {}
        #: entries a Bridgy-like relay reports at /api/mentions.jf2 (a JF2 feed).
        self.jf2: list[dict[str, Any]] = []
        self._next = 1000

    def account(self, username: str, display_name: str = "", note: str = "") -> dict[str, Any]:
        """An Account entity of this server."""
        self._next += 1
        return {
            "id": str(self._next),
            "username": username,
            "acct": username,
            "display_name": display_name or username.title(),
            "url": f"{self.base}/@{username}",
            "avatar": f"{self.base}/avatars/{username}.png",
            "avatar_static": f"{self.base}/avatars/{username}.png",
            "note": note or "<p>Just here to talk.</p>",
            "bot": False,
            "created_at": "2024-01-01T00:00:00.000Z",
            "followers_count": 3,
        }

    def status(
        self, account: dict[str, Any], content: str, *, reply_to: str | None = None,
        visibility: str = "public", status_id: str | None = None, spoiler: str = "",
        created_at: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        """Post a Status; returns it (its ``id`` and ``url`` are what tests use)."""
        self._next += 1
        sid = status_id or str(109_000_000 + self._next)
        status = {
            "id": sid,
            "uri": f"{self.base}/users/{account['username']}/statuses/{sid}",
            "url": f"{self.base}/@{account['username']}/{sid}",
            "created_at": created_at or f"2026-05-{1 + self._next % 27:02d}T10:00:00.000Z",
            "edited_at": None,
            "account": account,
            "content": content,
            "spoiler_text": spoiler,
            "visibility": visibility,
            "sensitive": bool(spoiler),
            "in_reply_to_id": reply_to,
            "in_reply_to_account_id": self.statuses[reply_to]["account"]["id"]
            if reply_to
            else None,
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "media_attachments": [],
            "mentions": [],
            "tags": [],
            "emojis": [],
        }
        self.statuses[sid] = status
        return status

    def delete(self, status_id: str) -> None:
        del self.statuses[status_id]

    def _descendants(self, root: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        def walk(parent: str) -> None:
            for status in self.statuses.values():
                if status["in_reply_to_id"] == parent:
                    found.append(status)
                    walk(status["id"])

        walk(root)
        return found

    def _with_counts(self, status: dict[str, Any]) -> dict[str, Any]:
        sid = status["id"]
        return dict(
            status,
            favourites_count=len(self.favourited.get(sid, [])),
            reblogs_count=len(self.reblogged.get(sid, [])),
            replies_count=sum(1 for s in self.statuses.values() if s["in_reply_to_id"] == sid),
        )

    def answer(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer:
        if path.startswith("/avatars/"):
            return 200, avatar_png(path), {}
        if path == "/api/v2/instance":
            return 200, {"domain": "127.0.0.1", "title": "Fake", "version": "4.3.0"}, {}
        if path == "/api/mentions.jf2":
            page = int(query.get("page", ["0"])[0])
            return 200, {"type": "feed", "children": self.jf2 if page == 0 else []}, {}
        parts = path.strip("/").split("/")
        if parts[:3] != ["api", "v1", "statuses"] or len(parts) < 4:
            raise KeyError(path)
        status = self.statuses[parts[3]]
        if len(parts) == 4:
            return 200, self._with_counts(status), {}
        if parts[4] == "context":
            descendants = [self._with_counts(s) for s in self._descendants(status["id"])]
            authorized = "authorization" in headers
            return (
                200,
                {"ancestors": [], "descendants": descendants if authorized else descendants[:60]},
                {},
            )
        table = {"favourited_by": self.favourited, "reblogged_by": self.reblogged}[parts[4]]
        accounts = table.get(status["id"], [])
        limit = min(int(query.get("limit", ["40"])[0]), self.page_size)
        start = int(query.get("max_id", ["0"])[0])
        page = accounts[start : start + limit]
        links = {}
        if start + limit < len(accounts):
            next_url = f"{self.base}{path}?limit={limit}&max_id={start + limit}"
            links["Link"] = f'<{next_url}>; rel="next", <{self.base}{path}?since_id=1>; rel="prev"'
        return 200, page, links


THREAD = "app.bsky.feed.defs#threadViewPost"


class FakeAppView(_JsonServer):
    """A Bluesky AppView: posts in threads, profiles, likes and reposts."""

    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.page_size = page_size
        self.profiles: dict[str, dict[str, Any]] = {}  # did -> profileViewDetailed
        self.posts: dict[str, dict[str, Any]] = {}  # at-uri -> postView
        self.parents: dict[str, str] = {}  # at-uri -> parent at-uri
        #: placeholders under a post: ("notFound" | "blocked", at-uri they stand for).
        self.placeholders: dict[str, list[tuple[str, str]]] = {}
        self.likes: dict[str, list[str]] = {}  # at-uri -> DIDs
        self.reposts: dict[str, list[str]] = {}
        self._next = 0

    def profile(self, handle: str, name: str = "", description: str = "",
                labels: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
        did = f"did:plc:{handle.split('.')[0]}{len(self.profiles):04d}"
        self.profiles[did] = {
            "did": did,
            "handle": handle,
            "displayName": name or handle.split(".")[0].title(),
            "avatar": f"{self.base}/img/avatar/{did}.jpg",
            "description": description or "Writes things.",
            "labels": [
                {
                    "src": did,
                    "uri": f"at://{did}/app.bsky.actor.profile/self",
                    "val": v,
                    "cts": "2024-01-01T00:00:00.000Z",
                }
                for v in labels
            ],  # fmt: skip
            "createdAt": "2024-01-01T00:00:00.000Z",
        }
        return self.profiles[did]

    def _basic(self, did: str) -> dict[str, Any]:
        full = self.profiles[did]
        return {k: full[k] for k in ("did", "handle", "displayName", "avatar", "labels")}

    def _view(self, did: str) -> dict[str, Any]:
        return dict(self._basic(did), description=self.profiles[did]["description"])

    def post(self, profile: dict[str, Any], text: str, *, reply_to: str | None = None,
             facets: list[dict[str, Any]] | None = None, rkey: str = "",
             created_at: str = "") -> str:  # fmt: skip
        """Create a post; returns its at-uri."""
        self._next += 1
        rkey = rkey or f"3k{self._next:06d}"
        uri = f"at://{profile['did']}/app.bsky.feed.post/{rkey}"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": created_at or f"2026-05-{1 + self._next % 27:02d}T11:00:00.000Z",
            "langs": ["en"],
        }
        if facets:
            record["facets"] = facets
        if reply_to:
            root = reply_to
            while root in self.parents:
                root = self.parents[root]
            record["reply"] = {
                "root": {"uri": root, "cid": "bafyroot"},
                "parent": {"uri": reply_to, "cid": "bafyparent"},
            }
            self.parents[uri] = reply_to
        self.posts[uri] = {
            "uri": uri,
            "cid": f"bafy{self._next}",
            "author": self._basic(profile["did"]),
            "record": record,
            "indexedAt": record["createdAt"],
            "labels": [],
        }
        return uri

    def delete(self, uri: str) -> None:
        del self.posts[uri]

    @staticmethod
    def web_url(uri: str, handle: str) -> str:
        return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[1]}"

    def _thread_view(self, uri: str, depth: int) -> dict[str, Any]:
        children = [u for u, p in self.parents.items() if p == uri and u in self.posts]
        post = dict(
            self.posts[uri],
            replyCount=len(children),
            likeCount=len(self.likes.get(uri, [])),
            repostCount=len(self.reposts.get(uri, [])),
        )
        node: dict[str, Any] = {"$type": THREAD, "post": post}
        if depth > 0:
            node["replies"] = [self._thread_view(u, depth - 1) for u in children]
            for kind, stand_in in self.placeholders.get(uri, []):
                if kind == "notFound":
                    node["replies"].append(
                        {
                            "$type": "app.bsky.feed.defs#notFoundPost",
                            "uri": stand_in,
                            "notFound": True,
                        }
                    )
                else:
                    node["replies"].append({
                        "$type": "app.bsky.feed.defs#blockedPost", "uri": stand_in, "blocked": True,
                        "author": {"did": "did:plc:blocker", "viewer": {"blockedBy": True}},
                    })  # fmt: skip
        return node

    def _page(self, dids: list[str], query: dict[str, list[str]]) -> tuple[list[str], str]:
        limit = min(int(query.get("limit", ["50"])[0]), self.page_size)
        start = int(query.get("cursor", ["0"])[0])
        more = start + limit < len(dids)
        return dids[start : start + limit], str(start + limit) if more else ""

    def answer(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer:
        if path.startswith("/img/avatar/"):
            return 200, avatar_png(path), {}
        method = path.removeprefix("/xrpc/")
        if method == "com.atproto.identity.resolveHandle":
            handle = query["handle"][0]
            did = next((d for d, p in self.profiles.items() if p["handle"] == handle), None)
            if did is None:
                return 400, {"error": "InvalidRequest", "message": "Unable to resolve handle"}, {}
            return 200, {"did": did}, {}
        if method == "app.bsky.feed.getPostThread":
            uri = query["uri"][0]
            if uri not in self.posts:
                return 400, {"error": "NotFound", "message": f"Post not found: {uri}"}, {}
            return 200, {"thread": self._thread_view(uri, int(query.get("depth", ["6"])[0]))}, {}
        if method == "app.bsky.actor.getProfiles":
            found = [self.profiles[d] for d in query.get("actors", []) if d in self.profiles]
            return 200, {"profiles": found}, {}
        if method in ("app.bsky.feed.getLikes", "app.bsky.feed.getRepostedBy"):
            uri = query["uri"][0]
            table = self.likes if method.endswith("getLikes") else self.reposts
            dids, cursor = self._page(table.get(uri, []), query)
            if method.endswith("getLikes"):
                body: dict[str, Any] = {"uri": uri, "likes": [
                    {"actor": self._view(d), "createdAt": "2026-05-02T00:00:00.000Z",
                     "indexedAt": "2026-05-02T00:00:00.000Z"} for d in dids
                ]}  # fmt: skip
            else:
                body = {"uri": uri, "repostedBy": [self._view(d) for d in dids]}
            if cursor:
                body["cursor"] = cursor
            return 200, body, {}
        raise KeyError(path)


def facet(text: str, fragment: str, feature: dict[str, Any]) -> dict[str, Any]:
    """A facet over ``fragment`` of ``text``, indexed in UTF-8 bytes as the protocol says."""
    start = text.encode("utf-8").index(fragment.encode("utf-8"))
    return {
        "index": {"byteStart": start, "byteEnd": start + len(fragment.encode("utf-8"))},
        "features": [feature],
    }


def avatar_png(path: str) -> bytes:
    """A small PNG whose colour depends on ``path``: every author looks different."""
    import hashlib
    import io

    from PIL import Image

    red, green, blue = hashlib.sha256(path.encode()).digest()[:3]
    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), (red, green, blue)).save(buffer, "PNG")
    return buffer.getvalue()
