"""The stored record: what loading accepts, what it puts right, and how it names a refusal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beancan.errors import StoreError
from beancan.files import dump_line
from beancan.model import (
    CHANNELS,
    KINDS,
    Author,
    check_stored,
    interaction_from_line,
    interaction_from_record,
    interactions_from_lines,
    make_interaction,
)

SOURCE = "https://rafe.example/notes/wall/"
TARGET = "https://tamsin.example/2026/03/the-smile-is-free/"
WHERE = "data/interactions.jsonl:7"


def _load(**changes):
    record = {"source": SOURCE, "target": TARGET, **changes}
    return interaction_from_record(json.loads(json.dumps(record)), WHERE)


#: hand edits the loader puts right rather than refuses: (edit, what it loads as).
HAND_EDITS = [
    ({"published": "2026-03-17 08:00"}, {"published": "2026-03-17T08:00:00+00:00"}),
    ({"updated": "2026-03-17T10:00:00+02:00"}, {"updated": "2026-03-17T08:00:00+00:00"}),
    ({"published": "yesterday"}, {"published": ""}),
    ({"first_seen": ""}, {"first_seen": ""}),
    ({"in_reply_to": [TARGET, "javascript:alert(1)"]}, {"in_reply_to": (TARGET,)}),
    ({"in_reply_to": None}, {"in_reply_to": ()}),
    ({"in_reply_to": ""}, {"in_reply_to": ()}),
    ({"channels": None}, {"channels": ()}),
    ({"channels": ["feed", "carrier-pigeon"]}, {"channels": ("feed", "carrier-pigeon")}),
    ({"author": None}, {"author": Author()}),
    ({"author": ""}, {"author": Author()}),
    ({"author": {"name": "Rafe", "url": ""}}, {"author": Author(name="Rafe")}),
    ({"author": {"name": "Rafe", "url": "javascript:x"}}, {"author": Author(name="Rafe")}),
    ({"author": {"photo": "avatar.png"}}, {"author": Author()}),
    ({"author": {"type": "card", "name": "Rafe"}}, {"author": Author(name="Rafe")}),
    ({"rsvp": ""}, {"rsvp": ""}),
    ({"avatar": ""}, {"avatar": ""}),
]


@pytest.mark.parametrize(("edit", "loaded"), HAND_EDITS)
def test_a_hand_edit_is_put_right_not_refused(edit, loaded):
    interaction = _load(**edit)
    assert {name: getattr(interaction, name) for name in loaded} == loaded


#: records the loader refuses, and how its message starts after ``where``.
REFUSED = [
    ({"source": "javascript:x"}, "source: expected an http(s) URL, got 'javascript:x'"),
    ({"source": ""}, "source: expected an http(s) URL, got ''"),
    ({"target": "ftp://x.example/"}, "target: expected an http(s) URL"),
    ({"url": ""}, "url: expected an http(s) URL"),
    ({"kind": "hug"}, "kind: invalid enum value 'hug'"),
    ({"kind": None}, "kind: expected `str`, got `null`"),
    ({"status": "ok"}, "status: invalid enum value 'ok'"),
    ({"direction": "sideways"}, "direction: invalid enum value 'sideways'"),
    ({"rsvp": "perhaps"}, "rsvp: invalid enum value 'perhaps'"),
    ({"name": None}, "name: expected `str`, got `null`"),
    ({"content_html": True}, "content_html: expected `str`, got `bool`"),
    ({"published": None}, "published: expected `str`, got `null`"),
    ({"avatar": "../../etc/passwd"}, "avatar: expected a plain file name, got '../../etc/passwd'"),
    ({"in_reply_to": TARGET}, "in_reply_to: expected `array`, got `str`"),
    ({"in_reply_to": [5]}, "in_reply_to[0]: expected `str`, got `int`"),
    ({"channels": ["feed", 5]}, "channels[1]: expected `str`, got `int`"),
    ({"author": ["Rafe"]}, "author: expected `object`, got `array`"),
    ({"author": {"name": 5}}, "author.name: expected `str`, got `int`"),
    ({"colour": "red"}, "unknown field `colour`"),
]


@pytest.mark.parametrize(("edit", "message"), REFUSED)
def test_a_refused_record_names_where_and_the_field(edit, message):
    with pytest.raises(StoreError) as error:
        _load(**edit)
    assert str(error.value).startswith(f"{WHERE}: {message}")


def test_a_missing_field_is_named():
    with pytest.raises(StoreError, match=f"^{WHERE}: missing field `target`$"):
        interaction_from_record({"source": SOURCE}, WHERE)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"{not json", "invalid JSON: object keys must be strings"),
        (b'{"source": ', "invalid JSON: input data was truncated"),
        (b"\xff\xfe{}", "invalid JSON: invalid character"),
        (b"[1, 2]", "expected a JSON object"),
        (b"null", "expected a JSON object"),
    ],
)
def test_a_line_that_is_no_record_is_named(line, message):
    with pytest.raises(StoreError) as error:
        interaction_from_line(line, WHERE)
    assert str(error.value).startswith(f"{WHERE}: {message}")


_text = st.text(st.characters(codec="utf-8"), max_size=30)
_url = st.one_of(
    st.sampled_from(
        ["", "https://a.example/x", "HTTP://B.example:80/y?utm_source=z", "javascript:x"]
    ),
    _text.map(lambda t: f"https://c.example/{t}"),
)
_date = st.one_of(st.sampled_from(["", "2026-03-17 08:00", "2026-03-17T10:00:00+02:00"]), _text)


@settings(max_examples=200, deadline=None)
@given(
    url=_url, reply=_url, photo=_url, name=_text, date=_date,
    kind=st.sampled_from(KINDS), channels=st.lists(st.sampled_from(CHANNELS), max_size=3),
)  # fmt: skip
def test_a_stored_record_loads_as_itself_by_either_door(url, reply, photo, name, date, kind,
                                                        channels):  # fmt: skip
    """One decoder: what make_interaction makes decodes unchanged from its line or its dict,
    so putting hand edits right never changes a record as the store writes it."""
    made = make_interaction(
        source=SOURCE, target=TARGET, url=url, in_reply_to=[reply, TARGET], kind=kind,
        author={"name": name, "url": url, "photo": photo}, name=name, content_text=name,
        published=date, updated=date, channels=channels, status="approved",
    )  # fmt: skip
    line = dump_line(made.to_record()).encode()
    assert interaction_from_line(line, WHERE) == made
    assert interaction_from_record(json.loads(line), WHERE) == made
    assert interactions_from_lines(line + b"\n") == [made]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "https://x.example/a'b"}, "source: expected an http(s) URL"),
        ({"avatar": "../x"}, "avatar: expected a plain file name, got '../x'"),
        ({"published": "yesterday"}, "published: expected a date such as"),
        ({"author": Author(url="javascript:x")}, "author.url: expected an http(s) URL"),
    ],
)
def test_a_record_the_store_would_not_load_is_refused_naming_the_field(changes, message):
    made = make_interaction(source=SOURCE, target=TARGET)
    with pytest.raises(ValueError) as error:
        check_stored(made.with_changes(**changes))
    assert str(error.value).startswith(f"not a storable record ({message}")
