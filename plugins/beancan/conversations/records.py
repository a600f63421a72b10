"""What the conversations templates print: display-ready records, made by ``view.py``.

Structs (msgspec) rather than dataclasses: thousands of them are made on a
big site, in the build's second process, and cross to the build pickled.
"""

from __future__ import annotations

import msgspec
from markupsafe import Markup

__all__ = [
    "ConversationPage",
    "ConversationView",
    "ConversationsView",
    "PersonLink",
    "PersonPage",
    "Row",
    "StepView",
    "TimelineEntry",
    "When",
]


class When(msgspec.Struct, frozen=True, gc=False):
    iso: str
    text: str


class PersonLink(msgspec.Struct, frozen=True, gc=False):
    name: str
    url: str  # their home page
    page: str  # their page on this site ("" for our author)
    avatar: str
    host: str
    is_me: bool


class Row(msgspec.Struct, frozen=True, gc=False):
    rank: int
    person: PersonLink
    count_in: int
    count_out: int
    reciprocity: str
    reciprocity_label: str
    first: When
    last: When
    strength: float
    conversations: int
    drawn: bool


class StepView(msgspec.Struct, frozen=True, gc=False):
    number: int
    who: PersonLink
    where: str
    when: When
    kind: str
    title: str
    excerpt: str
    url: str
    answers: tuple[int, ...]
    depth: int
    #: how far the stylesheet indents it (``--depth``): deeper steps stop indenting.
    indent: int = 0
    #: the URLs of the steps it answers.
    in_reply_to: tuple[str, ...] = ()
    #: the link's text: the title, else the excerpt, else the address.
    text: str = ""


class ConversationView(msgspec.Struct, frozen=True, gc=False):
    id: str
    title: str
    people: list[PersonLink]
    steps: list[StepView]
    more_steps: int
    started: When
    updated: When
    link: str  # the conversation's own page
    #: the same conversation with every step (up to ``MAX_STEPS_PAGE``), for its page.
    full: ConversationView | None = None
    #: every step, counting those not shown.
    step_count: int = 0


class ConversationPage(msgspec.Struct):
    """One conversation's own page.

    Like ``PersonPage``: ``conversation.html`` prints only values of it (one
    shell render for every conversation, ``shell.py``), and the steps are
    written by ``beancan/partials/conversation_page.html`` into ``body``.
    """

    #: the conversation with every step (up to ``MAX_STEPS_PAGE``).
    conversation: ConversationView
    slug: str
    save_as: str
    #: how many sites took part.
    site_count: int
    #: the page's content, rendered by the build (``plugin.py``) from the above.
    body: Markup = Markup("")


class TimelineEntry(msgspec.Struct, frozen=True, gc=False):
    """One response exchanged with a person, as their page lists it."""

    inbound: bool
    #: what happened, in words that say who did it ("liked", "we liked").
    verb: str
    when: When
    url: str
    #: the link's text: the response's title, else its excerpt, else its address.
    text: str


class PersonPage(msgspec.Struct):
    """One person's page.

    ``person.html`` prints only values of it (``shell`` renders that frame
    once for every person); the lists are written by the content template
    ``beancan/partials/person.html``, rendered for each person into ``body``.
    """

    person: PersonLink
    row: Row
    slug: str
    save_as: str
    #: their other addresses (rel-me).
    aliases: tuple[str, ...]
    #: ``" (2 like, 1 reply)"`` or "".
    kinds_in: str
    kinds_out: str
    chart: Markup
    #: the latest conversations (up to ``PERSON_CONVERSATIONS``)...
    conversations: list[ConversationView]
    #: ... and how many earlier ones are not listed.
    more_conversations: int
    #: everything exchanged, newest first.
    timeline: list[TimelineEntry]
    #: the page's content, rendered by the build (``plugin.py``) from the above.
    body: Markup = Markup("")


class ConversationsView(msgspec.Struct):
    graph_svg: Markup
    drawn: int
    not_drawn: int
    rows: list[Row]
    recent: list[ConversationView]
    total_conversations: int
    #: the conversations that started most recently, newest first (for the feed).
    newest: list[ConversationView] = msgspec.field(default_factory=list)
    people: list[PersonPage] = msgspec.field(default_factory=list)
    #: every conversation's own page.
    pages: list[ConversationPage] = msgspec.field(default_factory=list)
