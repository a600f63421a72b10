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
    "interaction_from_line",
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


# The constraints below are the stored form, defined once: the types on
# ``Interaction`` carry them and the store's one decoder checks them on load
# (``interaction_from_line``). Building an Interaction in Python checks
# nothing: ``make_interaction`` is the sanitizing boundary.
#: An http(s) URL with nothing in it that could break out of an attribute.
_PLAIN_URL = re.compile(r"https?://[^\s\"'<>\\`]+\Z")
#: An ISO 8601 UTC date to the second, as ``normalize_date`` writes it.
_STORED_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\Z")
#: A plain file name under ``<data>/avatars``.
_AVATAR = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\Z")
# The descriptions name each constraint in the loader's error messages.
PlainURL = Annotated[
    str, msgspec.Meta(pattern="^" + _PLAIN_URL.pattern, description="an http(s) URL")
]
#: "" or a stored date.
StoredDate = Annotated[
    str,
    msgspec.Meta(
        pattern=f"^({_STORED_DATE.pattern[:-2]})?\\Z",
        description="a date such as 2026-03-17T08:00:00+00:00",
    ),
]
#: "" or an avatar file name.
AvatarName = Annotated[
    str,
    msgspec.Meta(pattern=f"^({_AVATAR.pattern[:-2]})?\\Z", description="a plain file name"),
]


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


_DECODER = msgspec.json.Decoder(Interaction)
_ENCODER = msgspec.json.Encoder()


def check_stored(interaction: Interaction) -> None:
    """Raise ValueError unless ``interaction`` is a record the store's loader takes.

    The write boundary (``InteractionStore.merge``) calls this, so a record
    changed after ``make_interaction`` (``with_changes``) cannot reach the
    file in a form that loading would drop: the decoder here is the loader's.
    """
    try:
        _DECODER.decode(_ENCODER.encode(interaction))
    except msgspec.ValidationError as exc:
        # A field that fails was not left out as a default, so to_builtins has it.
        detail = _name_the_field(str(exc), msgspec.to_builtins(interaction))
        raise ValueError(f"not a storable record ({detail})") from exc


def interactions_from_lines(lines: bytes) -> list[Interaction] | None:
    """Decode stored records (JSON Lines, no header) in one call, or None.

    The same decoder as ``interaction_from_line``, over a whole store at
    once: a store as the store writes it (the usual case) loads in four
    fifths of the time it takes line by line. Any line it refuses (a hand
    edit, a broken line) gives None, and the caller reads line by line to
    put that line right or to name it.
    """
    try:
        return _DECODER.decode_lines(lines)
    except msgspec.DecodeError:  # ValidationError is one too
        return None


def interaction_from_line(line: bytes, where: str) -> Interaction:
    """One stored record from its JSON line; ``where`` (file:line) starts every error.

    A line as the store writes it decodes in one step. Any other line may be
    a hand edit: what ``_put_right`` knows how to fix is fixed, and the same
    decoder (the types on ``Interaction``) takes the result or names the
    field it refuses. Raises StoreError.
    """
    try:
        return _DECODER.decode(line)
    except msgspec.ValidationError:
        pass  # valid JSON, not in the stored form: perhaps a hand edit
    except msgspec.DecodeError as exc:
        detail = str(exc).removeprefix("JSON is malformed: ")
        raise StoreError(f"{where}: invalid JSON: {detail[:1].lower()}{detail[1:]}") from exc
    return interaction_from_record(msgspec.json.decode(line), where)


def interaction_from_record(record: object, where: str) -> Interaction:
    """An Interaction from a stored dict (a store line, a receiver's row); StoreError if not.

    The store is written only through ``make_interaction``, so loading checks
    shape rather than sanitizing again: the types and patterns on
    ``Interaction``. (HTML is sanitized once more when a page renders it, so
    a hand-edited store cannot inject markup either.) The error names
    ``where``, then the field: ``data/interactions.jsonl:7: author.url: ...``.
    """
    if not isinstance(record, dict):
        raise StoreError(f"{where}: expected a JSON object")
    values = _put_right(record)
    try:
        return msgspec.convert(values, Interaction)
    except msgspec.ValidationError as exc:
        raise StoreError(f"{where}: {_name_the_field(str(exc), values)}") from exc


#: fields a hand edit may leave empty or null: left out, they take their default.
_MAY_BE_EMPTY = ("author", "in_reply_to", "channels")


def _put_right(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with the hand edits that loading forgives put right.

    * a date in another form takes the stored form ("" when it is no date);
    * an ``in_reply_to`` entry, or an author's url or photo, that is not a
      plain http(s) URL is dropped, as ``make_interaction`` drops it;
    * an author's keys other than name, url and photo are ignored (the
      ``"type": "card"`` of a pasted h-card);
    * an empty or null ``author``, ``in_reply_to`` or ``channels`` is left out.

    Everything else is left for the decoder to take or refuse.
    """
    values = {k: v for k, v in record.items() if v or k not in _MAY_BE_EMPTY}
    for name in _DATE_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and value and not _STORED_DATE.match(value):
            values[name] = normalize_date(value)
    replies = values.get("in_reply_to")
    if isinstance(replies, list):
        values["in_reply_to"] = [u for u in replies if not _bad_url(u)]
    author = values.get("author")
    if isinstance(author, dict):
        known = {k: v for k, v in author.items() if k in _AUTHOR_FIELDS}
        values["author"] = {k: v for k, v in known.items() if k == "name" or not _bad_url(v)}
    return values


_AUTHOR_FIELDS = frozenset(Author.__struct_fields__)


def _bad_url(value: object) -> bool:
    """A string that is not a plain http(s) URL (not a string: the decoder's to refuse)."""
    return isinstance(value, str) and not _PLAIN_URL.match(value)


#: msgspec says where with ``- at `$.author.url` ``; the field is the part after ``$.``.
_AT = re.compile(r" - at `\$\.?(?P<field>[^`]*)`\Z")
_STEP = re.compile(r"\.?(\w+)|\[(\d+)\]")


def _name_the_field(message: str, values: dict[str, Any]) -> str:
    """msgspec's refusal in the store's words: the field first, a pattern by its description.

    Worded after msgspec's own messages (pinned by ``tests/test_model.py``); a
    message worded otherwise is passed on as msgspec wrote it.
    """
    found = _AT.search(message)
    if found is None or not found["field"]:  # the record as a whole: a field missing or unknown
        message = message.replace("Object contains unknown", "unknown")
        return message.replace("Object missing required", "missing")
    field, detail = found["field"], message[: found.start()]
    for alias in (PlainURL, StoredDate, AvatarName):
        meta = alias.__metadata__[0]
        if detail == f"Expected `str` matching regex {meta.pattern!r}":
            value = str(_value_at(values, field))[:120]
            detail = f"expected {meta.description}, got {value!r}"
    return f"{field}: {detail[:1].lower()}{detail[1:]}"


def _value_at(values: Any, path: str) -> Any:
    for key, index in _STEP.findall(path):
        values = values[key] if key else values[int(index)]
    return values
