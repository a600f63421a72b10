"""The repeated parts of the conversations pages, as escaped HTML built once.

A big community means 100,000 timeline entries and 50,000 conversation
steps; through Jinja macros they cost seconds (issue 6: all the pages in
under 3 s). They are built here instead, every value escaped (``html.escape``
with quotes: three times faster than markupsafe's wrapper, and as safe in
text and in quoted attributes), and reused: a conversation listed on two
hundred person pages is made into HTML once. The templates
keep the page structure and insert these fragments; the class names are
the theme's (``theme/static/css/beancan.css``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Protocol

from markupsafe import Markup

__all__ = [
    "aliases_list",
    "conversation_line",
    "conversations_section",
    "kinds_text",
    "steps_list",
    "table_rows",
    "time_html",
    "timeline_items",
]

#: deeper replies stop indenting here (the stylesheet's --depth steps).
MAX_INDENT = 6
#: links to other people's pages: user content, no endorsement (as in comments).
UGC = ' rel="ugc nofollow"'


class _When(Protocol):
    iso: str
    text: str


class _Person(Protocol):
    name: str
    page: str
    host: str
    is_me: bool


class _GraphStep(Protocol):
    person: str
    date: str
    title: str
    excerpt: str
    url: str
    answers: tuple[int, ...]  # 0-based
    depth: int


class _Conversation(Protocol):
    title: str
    link: str
    step_count: int
    started: _When
    updated: _When


def _link_text(title: str, excerpt: str, url: str) -> Markup:
    return escape(title or excerpt or url.split("://", 1)[-1])


def time_html(when: _When) -> str:
    """``<time datetime=...>`` for a date; callers cache it per date."""
    return f'<time datetime="{escape(when.iso)}">{escape(when.text)}</time>'


def _who(person: _Person) -> str:
    if person.page:
        return f'<a href="{escape(person.page)}">{escape(person.name)}</a>'
    return str(escape(person.name))


def steps_list(
    steps: Iterable[_GraphStep], *, who_of: Callable[[str], _Person], dated: Callable[[str], str]
) -> Markup:
    """The ``<li>`` items of a conversation's ``<ol class="bc-steps">``.

    ``steps`` are the graph's (``graph.Step``); ``who_of(home)`` gives the
    person's link, ``dated(date)`` a ``<time>`` element or "".
    """
    parts = []
    for s in steps:
        who = who_of(s.person)
        me = who.is_me
        meta = f'<strong>{_who(who)}</strong> <span class="comment-host">{escape(who.host)}</span>'
        when = dated(s.date)
        if when:
            meta += f"\n· {when}"
        if s.answers:
            meta += "\n· answering " + ", ".join(f"step {a + 1}" for a in s.answers)
        text = f"{_link_text(s.title, s.excerpt, s.url)}</a>"
        if s.title and s.excerpt:
            text += f" — {escape(s.excerpt)}"
        parts.append(
            f'<li class="bc-step{" bc-step--me" if me else ""}" '
            f'style="--depth:{min(s.depth - 1, MAX_INDENT)}">\n'
            f'<p class="bc-step-meta">{meta}</p>\n'
            f'<p class="bc-step-text"><a href="{escape(s.url)}"'
            f"{'' if me else UGC}>{text}</p>\n</li>\n"
        )
    return Markup("".join(parts))


def conversation_line(c: _Conversation) -> Markup:
    """One ``<li>`` naming a conversation and linking its page (person pages)."""
    dates = time_html(c.started)
    if c.updated.text and c.updated.text != c.started.text:
        dates += f" to {time_html(c.updated)}"
    return Markup(
        f'<li><a href="{escape(c.link)}">{escape(c.title)}</a> '
        f'<span class="meta">{c.step_count} steps, {dates}</span></li>\n'
    )


class _Entry(Protocol):
    direction: str
    kind: str
    date: str
    title: str
    excerpt: str
    url: str


def timeline_items(
    entries: Iterable[_Entry],
    *,
    verbs: dict[tuple[str, str], str],
    dated: Callable[[str], str],
) -> Markup:
    """The ``<li>`` items of a person's timeline; ``dated(date)`` gives ``"<time…>: "`` or "".

    The arrow is decoration: the verb already says who did it ("liked" or
    "we liked"), for screen readers too, at 45 bytes less an entry.
    """
    parts = []
    for e in entries:
        inbound = e.direction == "in"
        verb = verbs.get((e.direction, e.kind)) or escape(e.kind)
        parts.append(
            f'<li class="bc-{"in" if inbound else "out"}">'
            f'<span class="bc-dir" aria-hidden="true">{"←" if inbound else "→"}</span>\n'
            f"{dated(e.date)}{verb}\n"
            f'<a href="{escape(e.url)}"{UGC if inbound else ""}>'
            f"{_link_text(e.title, e.excerpt, e.url)}</a></li>\n"
        )
    return Markup("".join(parts))


def kinds_text(counts: dict[str, int]) -> str:
    """`` (1 bookmark, 4 like)`` after a count, or "" when there is nothing to break down."""
    if not counts:
        return ""
    return " (" + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) + ")"


def aliases_list(urls: Iterable[str]) -> Markup:
    """The person's other addresses as a ``rel-me`` list, or nothing."""
    items = "".join(
        f'<li><a class="u-url" href="{escape(u)}"{UGC}>'
        f"{escape(u.split('://', 1)[-1].rstrip('/'))}</a></li>"
        for u in urls
    )
    if not items:
        return Markup("")
    return Markup(f'<ul class="rel-me" aria-label="Also writes at">\n{items}\n</ul>')


def conversations_section(lines: Sequence[Markup], more: int) -> Markup:
    """A person page's list of conversations (``conversation_line`` each), or nothing."""
    if not lines:
        return Markup("")
    earlier = ""
    if more:
        noun = "conversation" if more == 1 else "conversations"
        earlier = f'<p class="more">and {more} earlier {noun}, not listed here.</p>\n'
    return Markup(
        '<section aria-labelledby="person-conversations">\n'
        '<h2 id="person-conversations">Conversations</h2>\n'
        f'<ul class="bc-conversation-list">\n{"".join(lines)}</ul>\n{earlier}</section>'
    )


class _Row(Protocol):
    rank: int
    person: _Person
    count_in: int
    count_out: int
    reciprocity: str
    reciprocity_label: str
    first: _When
    last: _When
    strength: float


def table_rows(rows: Iterable[_Row]) -> Markup:
    """The ``<tr>`` rows of the relationships table (a hundred pages of them on a big site)."""
    parts = []
    for r in rows:
        parts.append(
            f'<tr class="bc-row bc-{escape(r.reciprocity)}">\n<td>{r.rank}</td>\n'
            f'<th scope="row">{_who(r.person)} '
            f'<span class="comment-host">{escape(r.person.host)}</span></th>\n'
            f"<td>{r.count_in}</td>\n<td>{r.count_out}</td>\n"
            f"<td>{escape(r.reciprocity_label)}</td>\n<td>{time_html(r.first)}</td>\n"
            f"<td>{time_html(r.last)}</td>\n<td>{r.strength}</td>\n</tr>\n"
        )
    return Markup("".join(parts))
