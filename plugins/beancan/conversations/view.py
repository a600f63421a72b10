"""Build what the conversations and person templates see from the graph.

The records themselves are in ``records.py``; the templates (``beancan/conversations.html``,
``beancan/conversation.html``, ``beancan/partials/conversation.html`` and
``beancan/partials/person.html`` inside ``beancan/person.html``) write all the markup. Every
outside string stays a plain ``str`` for Jinja's autoescape; only the SVG drawings (``svg.py``,
every value escaped there) are ``Markup``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from markupsafe import Markup

from ..avatar_files import AvatarFiles
from ..dates import parse_date
from ..graph import Conversation, Graph, Person, Relationship
from .records import (
    ConversationPage,
    ConversationsView,
    ConversationView,
    PersonLink,
    PersonPage,
    Row,
    StepView,
    TimelineEntry,
    When,
)
from .svg import GraphNode, graph_svg, month_chart_svg

__all__ = ["ConversationsView", "PersonPage", "build_views"]

RECIPROCITY_LABELS = {"mutual": "mutual", "in": "one-way, to us", "out": "one-way, from us"}
KIND_VERBS = {
    ("in", "reply"): "replied",
    ("in", "like"): "liked",
    ("in", "repost"): "reposted",
    ("in", "bookmark"): "bookmarked",
    ("in", "mention"): "mentioned us",
    ("in", "rsvp"): "RSVPed",
    ("out", "reply"): "we replied",
    ("out", "like"): "we liked",
    ("out", "repost"): "we reposted",
    ("out", "bookmark"): "we bookmarked",
    ("out", "mention"): "we linked",
    ("out", "rsvp"): "we RSVPed",
}
#: a conversation card shows this many steps; the rest are counted, not dropped.
MAX_STEPS_SHOWN = 12
#: a conversation's own page shows this many steps (a giant thread stays a page).
MAX_STEPS_PAGE = 500
#: a person page lists this many of their conversations (the latest); the rest are counted.
PERSON_CONVERSATIONS = 50
#: the monthly chart covers at most this many months (the latest ones).
MAX_MONTHS = 60
#: a conversation's title names this many people; more are counted ("and 12 others").
TITLE_NAMES = 4
#: deeper steps stop indenting here (the stylesheet's --depth steps).
MAX_INDENT = 6
# strftime directives that depend on the day only: a date format made of
# these gives the same text for every time of one day, so it is cached per day.
_DAY_DIRECTIVES = frozenset("aAbBCdDeFgGhjmuUVwWxyY")
_DIRECTIVE = re.compile(r"%[-_0^#]?(.)")


class Avatars(AvatarFiles):
    """Local avatar URLs for people; our author's own photo for our author."""

    def __init__(self, data_dir: Path, siteurl: str, own_avatar: str) -> None:
        super().__init__(data_dir, siteurl)
        self.own_avatar = own_avatar

    def url_for(self, person: Person) -> str:
        if person.is_me and self.own_avatar:
            return self.own_avatar
        return self.cached(person.avatar) or self.initials(person.name, person.url)


class _Builder:
    def __init__(self, graph: Graph, *, siteurl: str, base_path: str, date_format: str,
                 avatars: Avatars) -> None:  # fmt: skip
        self.graph = graph
        self.siteurl = siteurl
        self.base_path = base_path
        self.date_format = date_format
        self.avatars = avatars
        self._links: dict[str, PersonLink] = {}
        self._whens: dict[str, When] = {}
        self._days: dict[str, str] = {}
        self._by_day = set(_DIRECTIVE.findall(date_format.replace("%%", ""))) <= _DAY_DIRECTIVES
        self._conversations: dict[str, ConversationView] = {}

    def when(self, date: str) -> When:
        found = self._whens.get(date)
        if found is None:
            found = self._whens[date] = When(date, self._date_text(date))
        return found

    def timeline(self, relationship: Relationship) -> list[TimelineEntry]:
        """Everything exchanged with one person, newest first."""
        return [
            TimelineEntry(
                inbound=e.direction == "in",
                verb=KIND_VERBS.get((e.direction, e.kind)) or e.kind,
                when=self.when(e.date),
                url=e.url,
                text=_link_text(e.title, e.excerpt, e.url),
            )
            for e in relationship.timeline()
        ]

    def _date_text(self, date: str) -> str:
        # Stored dates are ISO 8601 UTC (dates.normalize_date), so the first
        # ten characters are the day.
        day = date[:10] if self._by_day and len(date) > 10 else date
        text = self._days.get(day)
        if text is None:
            parsed = parse_date(date)
            text = self._days[day] = parsed.strftime(self.date_format) if parsed else ""
        return text

    def page_of(self, person: Person) -> str:
        if person.is_me:
            return f"{self.siteurl}/"
        # Only people with a relationship get a page; someone seen only inside
        # a conversation (a post someone else answered) is named, not linked.
        if person.url not in self.graph.by_person:
            return ""
        return f"{self.siteurl}/{self.base_path}/{person.slug}/"

    def link(self, home: str) -> PersonLink:
        found = self._links.get(home)
        if found is None:
            person = self.graph.people[home]
            found = PersonLink(person.name, person.url, self.page_of(person),
                               self.avatars.url_for(person), person.host, person.is_me)  # fmt: skip
            self._links[home] = found
        return found

    def row(self, rank: int, relationship: Relationship, drawn: bool) -> Row:
        return Row(
            rank=rank,
            person=self.link(relationship.person),
            count_in=relationship.count_in,
            count_out=relationship.count_out,
            reciprocity=relationship.reciprocity,
            reciprocity_label=RECIPROCITY_LABELS[relationship.reciprocity],
            first=self.when(relationship.first),
            last=self.when(relationship.last),
            strength=relationship.strength,
            conversations=len(relationship.conversations),
            drawn=drawn,
        )

    def conversation(self, conversation: Conversation) -> ConversationView:
        found = self._conversations.get(conversation.id)
        if found is None:
            full = self._conversation(conversation, MAX_STEPS_PAGE, None)
            found = self._conversation(conversation, MAX_STEPS_SHOWN, full)
            self._conversations[conversation.id] = found
        return found

    def _conversation(
        self, conversation: Conversation, limit: int, full: ConversationView | None
    ) -> ConversationView:
        people = [self.link(p) for p in conversation.people]
        shown = conversation.steps[:limit]
        every = conversation.steps
        steps = [
            StepView(
                number=index + 1,
                who=self.link(step.person),
                where=self.link(step.person).host,
                when=self.when(step.date),
                kind=step.kind,
                title=step.title,
                excerpt=step.excerpt,
                url=step.url,
                answers=tuple(a + 1 for a in step.answers),
                depth=step.depth,
                indent=min(step.depth - 1, MAX_INDENT),
                in_reply_to=tuple(every[a].url for a in step.answers if a < len(every)),
                text=_link_text(step.title, step.excerpt, step.url),
            )
            for index, step in enumerate(shown)
        ]  # fmt: skip
        return ConversationView(
            id=conversation.id,
            title=_title([p.name for p in people]),
            people=people,
            steps=steps,
            more_steps=len(conversation.steps) - len(shown),
            started=self.when(conversation.started),
            updated=self.when(conversation.updated),
            link=f"{self.siteurl}/{self.base_path}/c/{conversation.id}/",
            full=full,
            step_count=len(conversation.steps),
        )


def _page(full: ConversationView, base_path: str) -> ConversationPage:
    return ConversationPage(
        conversation=full,
        slug=full.id,
        save_as=f"{base_path}/c/{full.id}/index.html",
        site_count=len(full.people),
    )


def _link_text(title: str, excerpt: str, url: str) -> str:
    """A link's text: the title, else the excerpt, else the address without its scheme."""
    return title or excerpt or url.split("://", 1)[-1]


def kinds_text(counts: dict[str, int]) -> str:
    """`` (1 bookmark, 4 like)`` after a count, or "" when there is nothing to break down."""
    if not counts:
        return ""
    return " (" + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) + ")"


def _title(names: list[str]) -> str:
    """``A``, ``A and B`` ... ``A, B, C and 12 others``: a title, not a roll call."""
    if len(names) > TITLE_NAMES:
        others = len(names) - TITLE_NAMES + 1
        names = [*names[: TITLE_NAMES - 1], f"{others} others"]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _months(relationship: Relationship) -> tuple[list[tuple[str, str, int, int]], int]:
    counts_in = Counter(e.date[:7] for e in relationship.inbound if e.date)
    counts_out = Counter(e.date[:7] for e in relationship.outbound if e.date)
    every = sorted(k for k in set(counts_in) | set(counts_out) if _MONTH_KEY.match(k))
    if not every:
        return [], 0
    last_year, last_month = int(every[-1][:4]), int(every[-1][5:7])
    # Never walk more than MAX_MONTHS: a date decades off must not cost decades.
    start = max(every[0], _months_before(last_year, last_month, MAX_MONTHS))
    year, month = int(start[:4]), int(start[5:7])
    last = every[-1]
    hidden = sum(1 for k in every if k < start)
    months = []
    while True:
        key = f"{year:04d}-{month:02d}"
        label = f"{_MONTH_NAMES[month - 1]} {year}"
        months.append((key, label, counts_in.get(key, 0), counts_out.get(key, 0)))
        if key >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-MAX_MONTHS:], hidden + max(0, len(months) - MAX_MONTHS)


_MONTH_KEY = re.compile(r"\d{4}-(0[1-9]|1[0-2])\Z")


def _months_before(year: int, month: int, count: int) -> str:
    index = year * 12 + (month - 1) - (count - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def build_views(
    graph: Graph,
    *,
    siteurl: str,
    base_path: str,
    date_format: str,
    avatars: Avatars,
    top: int,
    recent: int,
    newest: int = 20,
) -> ConversationsView:
    """Everything the two templates need, for the whole graph."""
    build = _Builder(graph, siteurl=siteurl, base_path=base_path, date_format=date_format,
                     avatars=avatars)  # fmt: skip
    relationships = graph.relationships
    drawn = relationships[:top]
    me = graph.me
    nodes = [
        GraphNode(
            build.link(r.person).name, build.link(r.person).page, r.count_in, r.count_out, r.mutual
        )  # fmt: skip
        for r in drawn
    ]
    mutual = sum(1 for r in relationships if r.mutual)
    not_drawn = len(relationships) - len(drawn)
    description = (
        f"{me.name} in the centre; {len(relationships)} people around, {mutual} of them in a "
        f"mutual relationship (inner rings), the rest one-way (outer rings). "
        f"Arrows point the way responses went; wider lines carry more."
        + (f" The {not_drawn} weakest relationships are not drawn." if not_drawn else "")
        + " The table below lists everyone."
    )
    svg = graph_svg(
        me.name,
        build.page_of(me),
        nodes,
        title=f"Who {me.name} talks with",
        description=description,
    )
    rows = [build.row(i + 1, r, i < top) for i, r in enumerate(relationships)]
    recent_views = [build.conversation(c) for c in graph.conversations[:recent]]
    view = ConversationsView(
        graph_svg=Markup(svg),  # every value in it was escaped by graph_svg
        drawn=len(drawn),
        not_drawn=not_drawn,
        rows=rows,
        recent=recent_views,
        total_conversations=len(graph.conversations),
        newest=[
            build.conversation(c)
            for c in sorted(graph.conversations, key=lambda c: (c.started, c.id), reverse=True)[
                :newest
            ]
        ],
        pages=[_page(build.conversation(c).full, base_path) for c in graph.conversations],
    )
    for row, relationship in zip(rows, relationships, strict=True):
        person = graph.people[relationship.person]
        months, hidden = _months(relationship)
        desc = (
            f"{relationship.count_in} responses from {person.name} and "
            f"{relationship.count_out} from {me.name}, from {row.first.text} to {row.last.text}."
            + (f" The {hidden} earliest months are not drawn." if hidden else "")
        )
        chart = month_chart_svg(
            months,
            title=f"Exchanges per month between {person.name} and {me.name}",
            description=desc,
            id_prefix="bc-chart",
        )
        conversations = graph.conversations_of(relationship.person)
        view.people.append(
            PersonPage(
                person=row.person,
                row=row,
                slug=person.slug,
                save_as=f"{base_path}/{person.slug}/index.html",
                aliases=tuple(person.aliases),
                kinds_in=kinds_text(relationship.kinds("in")),
                kinds_out=kinds_text(relationship.kinds("out")),
                chart=Markup(chart),  # escaped by month_chart_svg
                conversations=[build.conversation(c) for c in conversations[:PERSON_CONVERSATIONS]],
                more_conversations=max(0, len(conversations) - PERSON_CONVERSATIONS),
                timeline=build.timeline(relationship),
            )
        )
    return view
