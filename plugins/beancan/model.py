"""The hub record: one ``Interaction`` for every response, whatever brought it.

Converters (``from_jf2``, ``from_mf2``, ``from_feed_entry`` ...) produce these;
the store keeps them; threading, the conversations graph and the templates
read them. Values here are already normalized: canonical URLs, sanitized HTML,
ISO 8601 UTC dates.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import msgspec

from .dates import normalize_date
from .errors import StoreError
from .sanitize import clean_html, clean_text, html_to_text, safe_url

__all__ = [
    "CHANNELS",
    "DIRECTIONS",
    "KINDS",
    "STATUSES",
    "Author",
    "Interaction",
    "check_stored",
    "interaction_from_record",
    "interactions_from_lines",
    "make_interaction",
    "stored_url",
]

KINDS = ("reply", "like", "repost", "bookmark", "mention", "rsvp")
#: approved renders; pending waits for moderation; spam and deleted never render.
STATUSES = ("approved", "pending", "spam", "deleted")
#: webmention: a JF2 API (webmention.io or our receiver) reported it as a Webmention;
#: pingback: reported as a pingback; feed: found in a peer's feed or comment feed;
#: import: a legacy export; receiver: our own receiver; own: this site's own posts;
#: mastodon, bluesky: read from the copy of a post shared there (beancan.social).
CHANNELS = ("webmention", "pingback", "feed", "import", "receiver", "own", "mastodon", "bluesky")
#: in: a response to one of our posts; out: our author responding on someone's site.
DIRECTIONS = ("in", "out")
RSVP_VALUES = ("yes", "no", "maybe", "interested")


# The constraints below are the stored form, checked only when the store is
# decoded (``interactions_from_lines``); building an Interaction in Python
# checks nothing: ``make_interaction`` is the sanitizing boundary.
# The same patterns serve the line-by-line reader (``interaction_from_record``).
#: An http(s) URL with nothing in it that could break out of an attribute.
_PLAIN_URL = re.compile(r"https?://[^\s\"'<>\\`]+\Z")
#: An ISO 8601 UTC date to the second, as ``normalize_date`` writes it.
_STORED_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\Z")
#: A plain file name under ``<data>/avatars``.
_AVATAR = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\Z")
PlainURL = Annotated[str, msgspec.Meta(pattern="^" + _PLAIN_URL.pattern)]
#: "" or a stored date.
StoredDate = Annotated[str, msgspec.Meta(pattern=f"^({_STORED_DATE.pattern[:-2]})?\\Z")]
#: "" or an avatar file name.
AvatarName = Annotated[str, msgspec.Meta(pattern=f"^({_AVATAR.pattern[:-2]})?\\Z")]


# Structs rather than dataclasses: the store decodes straight into them
# (a tenth of the time of checking dicts in Python), and gc=False keeps
# 100,000 of them out of every garbage collection (they hold no cycles).
# omit_defaults: a "" left out is never checked against a URL pattern when
# records cross between processes as msgpack (comments/sections.py).
class Author(msgspec.Struct, frozen=True, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    """Who wrote a response, as the response says (before alias merging)."""

    name: str = ""
    url: PlainURL = ""
    #: the remote photo URL as reported; pages never load it (see ``avatar``).
    photo: PlainURL = ""


class Interaction(
    msgspec.Struct, frozen=True, gc=False, forbid_unknown_fields=True, omit_defaults=True
):
    """One response to one target, seen by one or more channels."""

    #: canonical URL of the document that was received (Webmention ``source``).
    source: PlainURL
    #: canonical URL of the post it responds to (ours when direction is "in").
    target: PlainURL
    kind: Literal[KINDS] = "mention"
    #: canonical URL of the response itself: differs from ``source`` when a relay
    #: such as Bridgy sent it on behalf of the original post.
    url: PlainURL = ""
    in_reply_to: tuple[PlainURL, ...] = ()
    author: Author = msgspec.field(default_factory=Author)
    name: str = ""
    content_html: str = ""
    content_text: str = ""
    published: StoredDate = ""
    updated: StoredDate = ""
    #: yes / no / maybe / interested, for kind "rsvp".
    rsvp: Literal[("", *RSVP_VALUES)] = ""
    channels: tuple[str, ...] = ()
    status: Literal[STATUSES] = "pending"
    direction: Literal[DIRECTIONS] = "in"
    first_seen: StoredDate = ""
    last_seen: StoredDate = ""
    deleted_at: StoredDate = ""
    #: file name of the author's cached avatar under ``<data>/avatars``; "" if none.
    avatar: AvatarName = ""

    @property
    def key(self) -> str:
        """The store key: one record per (source, target)."""
        return f"{self.source} {self.target}"

    @property
    def permalink(self) -> str:
        """The URL a reader should follow: the original post, not a relay."""
        return self.url or self.source

    @property
    def sort_date(self) -> str:
        return self.published or self.first_seen

    def with_changes(self, **changes: Any) -> Interaction:
        return msgspec.structs.replace(self, **changes)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict; empty optional fields are left out to keep diffs small."""
        record = msgspec.structs.asdict(self)
        record["in_reply_to"] = list(self.in_reply_to)
        record["channels"] = list(self.channels)
        record["author"] = {k: v for k, v in msgspec.structs.asdict(self.author).items() if v}
        return {k: v for k, v in record.items() if v not in ("", [], {}) or k in _REQUIRED}


_REQUIRED = frozenset({"source", "target", "kind", "status"})
_FIELDS = frozenset(Interaction.__struct_fields__)
MAX_CONTENT_TEXT = 100_000
_DATE_FIELDS = ("published", "updated", "first_seen", "last_seen", "deleted_at")


def stored_url(value: object) -> str:
    """``value`` as the store keeps a URL (canonical, nothing quotable), or "".

    The same pattern decides on load, so whatever this returns loads.
    """
    clean = safe_url(value)
    return clean if clean and _PLAIN_URL.match(clean) else ""


def make_interaction(**values: Any) -> Interaction:
    """An Interaction from untrusted values: every field normalized and sanitized.

    This is the boundary: converters call it, and the store calls it on load,
    so threading, the graph and the templates only ever see clean data.
    Raises ValueError naming the field when source or target is not a URL.
    """
    for name in ("source", "target"):
        clean = stored_url(values.get(name))
        if not clean:
            raise ValueError(f"{name} {values.get(name)!r} is not an http(s) URL")
        values[name] = clean
    author = values.get("author") or Author()
    if isinstance(author, dict):
        author = Author(**{k: author.get(k) or "" for k in ("name", "url", "photo")})
    values["author"] = Author(
        name=clean_text(author.name, 100),
        url=stored_url(author.url),
        photo=stored_url(author.photo),
    )
    values["url"] = stored_url(values.get("url"))
    values["in_reply_to"] = tuple(
        dict.fromkeys(u for u in (stored_url(v) for v in values.get("in_reply_to") or ()) if u)
    )
    values["name"] = clean_text(values.get("name"))
    values["content_html"] = clean_html(values.get("content_html") or "")
    # Plain text is derived from (or cleaned like) HTML: no markup survives in it.
    text = values.get("content_text") or values["content_html"]
    values["content_text"] = html_to_text(text)[:MAX_CONTENT_TEXT]
    for name in _DATE_FIELDS:
        values[name] = normalize_date(values.get(name))
    if values.get("rsvp") not in RSVP_VALUES:
        values["rsvp"] = ""
    avatar = values.get("avatar") or ""
    if avatar and not _AVATAR.match(avatar):
        values["avatar"] = ""
    values["channels"] = tuple(sorted({c for c in values.get("channels") or () if c in CHANNELS}))
    return Interaction(**values)


_STORED = msgspec.json.Decoder(Interaction)
_ENCODER = msgspec.json.Encoder()


def check_stored(interaction: Interaction) -> None:
    """Raise ValueError unless ``interaction`` is a record the store's loader takes.

    The write boundary (``InteractionStore.merge``) calls this, so a record
    changed after ``make_interaction`` (``with_changes``) cannot reach the
    file in a form that loading would drop: the decoder here is the loader's.
    """
    try:
        _STORED.decode(_ENCODER.encode(interaction))
    except msgspec.ValidationError as exc:
        raise ValueError(f"not a storable record ({exc})") from exc


def interactions_from_lines(lines: bytes) -> list[Interaction] | None:
    """Decode stored records (JSON Lines, no header) in one pass, or None.

    The fast path of loading: it accepts only records exactly as the store
    writes them (the types and patterns on ``Interaction``). Anything else,
    from a hand edit to a broken line, gives None, and the caller reads the
    file line by line with ``interaction_from_record``, which normalizes what
    it can and names the file and line of what it cannot.
    """
    try:
        return _STORED.decode_lines(lines)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


def interaction_from_record(record: dict[str, Any], where: str) -> Interaction:
    """Build an Interaction from a stored dict; ``where`` names file and line for errors.

    The store is written only through ``make_interaction``, so loading checks
    shape rather than sanitizing again: types, allowed values, and that every
    URL field is a plain http(s) URL. (HTML is sanitized once more when a
    page renders it, so a hand-edited store cannot inject markup either.)
    This keeps loading 20,000 records well under half a second.
    """
    if not isinstance(record, dict):
        raise StoreError(f"{where}: expected a JSON object, got {type(record).__name__}")
    unknown = record.keys() - _FIELDS
    if unknown:
        raise StoreError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    missing = [name for name in ("source", "target") if not record.get(name)]
    if missing:
        raise StoreError(f"{where}: missing field(s) {', '.join(missing)}")
    values = dict(record)
    for name, value in values.items():
        if name not in _STRUCTURED and not isinstance(value, str):
            raise StoreError(f"{where}: {name!r} must be a string")
    for name, allowed in (("kind", KINDS), ("status", STATUSES), ("direction", DIRECTIONS)):
        if name in values and values[name] not in allowed:
            raise StoreError(f"{where}: {name} {values[name]!r} is not one of {', '.join(allowed)}")
    for name in ("source", "target", "url"):
        if name in values and not _PLAIN_URL.match(values[name]):
            raise StoreError(f"{where}: {name} {values[name]!r} is not an http(s) URL")
    author = values.get("author") or {}
    if not isinstance(author, dict) or not all(isinstance(v, str) for v in author.values()):
        raise StoreError(f"{where}: 'author' must be an object of strings")
    values["author"] = Author(
        name=author.get("name", ""),
        url=_url_or_empty(author.get("url", "")),
        photo=_url_or_empty(author.get("photo", "")),
    )
    for name in ("in_reply_to", "channels"):
        value = values.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise StoreError(f"{where}: {name!r} must be a list of strings")
        values[name] = tuple(value)
    values["in_reply_to"] = tuple(u for u in values["in_reply_to"] if _PLAIN_URL.match(u))
    if values.get("rsvp") and values["rsvp"] not in RSVP_VALUES:
        raise StoreError(f"{where}: rsvp {values['rsvp']!r} is not one of {', '.join(RSVP_VALUES)}")
    for name in _DATE_FIELDS:
        value = values.get(name)
        if value and not _STORED_DATE.match(value):
            values[name] = normalize_date(value)  # a hand edit; "" if not a date
    avatar = values.get("avatar", "")
    if avatar and not _AVATAR.match(avatar):
        raise StoreError(f"{where}: avatar {avatar!r} is not a plain file name")
    return Interaction(**values)


_STRUCTURED = frozenset({"author", "in_reply_to", "channels"})


def _url_or_empty(value: str) -> str:
    return value if value and _PLAIN_URL.match(value) else ""
