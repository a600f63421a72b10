"""The stored record: what loading accepts, what it puts right, and how it names a refusal."""

from __future__ import annotations

import json

import pytest

from beancan.errors import StoreError
from beancan.model import Author, interaction_from_record

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


#: records the loader refuses, and the field its message must name.
REFUSED = [
    ({"source": "javascript:x"}, "source"),
    ({"source": ""}, "source"),
    ({"target": "ftp://x.example/"}, "target"),
    ({"url": ""}, "url"),
    ({"kind": "hug"}, "kind"),
    ({"kind": None}, "kind"),
    ({"status": "ok"}, "status"),
    ({"direction": "sideways"}, "direction"),
    ({"rsvp": "perhaps"}, "rsvp"),
    ({"name": None}, "name"),
    ({"content_html": True}, "content_html"),
    ({"published": None}, "published"),
    ({"avatar": "../../etc/passwd"}, "avatar"),
    ({"in_reply_to": TARGET}, "in_reply_to"),
    ({"in_reply_to": [5]}, "in_reply_to"),
    ({"channels": ["feed", 5]}, "channels"),
    ({"author": ["Rafe"]}, "author"),
    ({"author": {"name": 5}}, "author"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("edit", "field"), REFUSED)
def test_a_refused_record_names_where_and_the_field(edit, field):
    with pytest.raises(StoreError) as error:
        _load(**edit)
    message = str(error.value)
    assert message.startswith(f"{WHERE}: ")
    assert field in message.removeprefix(f"{WHERE}: ")
