"""Threading: turn one post's interactions into a comment section. Pure functions.

A reply whose in-reply-to is the post is top level; a reply to another
reply nests under it, at any depth and across sites; replies deeper than
the setting are shown flat under the deepest level with "in reply to NAME";
a reply whose parent is unknown is shown at top level, never dropped;
cycles are cut, never followed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .model import Interaction
from .urls import url_key

__all__ = ["REACTION_KINDS", "Comment", "Thread", "build_thread"]

#: Kinds shown as facepiles rather than as comments.
REACTION_KINDS = ("like", "repost", "bookmark")


@dataclass(slots=True, eq=False)  # compared by identity: a thread holds each once
class Comment:
    interaction: Interaction
    depth: int = 1
    children: list[Comment] = field(default_factory=list)
    #: written by the blog's own author.
    is_author: bool = False
    #: set when the comment is not shown under what it answers: an orphan, a
    #: reply flattened below the depth limit, or one whose cycle was cut.
    context_name: str = ""
    context_url: str = ""

    def walk(self) -> Iterable[Comment]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Thread:
    """Everything one post received, ready for the template."""

    replies: list[Comment] = field(default_factory=list)
    reactions: dict[str, list[Interaction]] = field(default_factory=dict)
    mentions: list[Interaction] = field(default_factory=list)
    rsvps: list[Interaction] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"reply": sum(1 for top in self.replies for _ in top.walk())}
        counts.update({kind: len(people) for kind, people in self.reactions.items()})
        counts["mention"] = len(self.mentions)
        counts["rsvp"] = len(self.rsvps)
        return counts

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def comments(self) -> Iterable[Comment]:
        for top in self.replies:
            yield from top.walk()


def _order(interaction: Interaction) -> tuple[str, str]:
    return (interaction.sort_date, interaction.permalink)


def build_thread(
    post_keys: Iterable[str],
    interactions: Iterable[Interaction],
    *,
    max_depth: int = 6,
    is_author: Callable[[Interaction], bool] = lambda _: False,
    key_of: Callable[[str], str] = url_key,
) -> Thread:
    """The comment section of the post whose URL keys are ``post_keys``.

    ``interactions`` are the post's visible interactions (any kind); the
    author's own reply notes are among them as ordinary replies. ``key_of``
    maps a URL to its identity (``SiteURLs.identity`` makes every form of our
    own URLs agree).
    """
    post_keys = set(post_keys)
    thread = Thread()
    replies: list[Interaction] = []
    reactions: dict[str, dict[str, Interaction]] = {kind: {} for kind in REACTION_KINDS}
    for interaction in sorted(interactions, key=_order):
        if interaction.kind in REACTION_KINDS:
            # One face per person and kind: liking twice is still one like.
            who = key_of(interaction.author.url) or interaction.permalink
            reactions[interaction.kind].setdefault(who, interaction)
        elif interaction.kind == "mention":
            thread.mentions.append(interaction)
        elif interaction.kind == "rsvp":
            thread.rsvps.append(interaction)
        else:
            replies.append(interaction)
    thread.reactions = {kind: list(found.values()) for kind, found in reactions.items()}

    nodes: dict[str, Comment] = {}
    for interaction in replies:
        comment = Comment(interaction, is_author=is_author(interaction))
        for key in (key_of(interaction.permalink), key_of(interaction.source)):
            nodes.setdefault(key, comment)
    comments = [nodes[key_of(i.permalink)] for i in replies]
    parents = _find_parents(comments, nodes, post_keys, key_of)
    _cut_cycles(comments, parents)

    for comment in comments:
        parent = parents.get(id(comment))
        if parent is None:
            thread.replies.append(comment)
        else:
            parent.children.append(comment)
    for top in thread.replies:
        _set_depths(top, 1, max_depth)
    return thread


def _find_parents(
    comments: list[Comment],
    nodes: dict[str, Comment],
    post_keys: set[str],
    key_of: Callable[[str], str],
) -> dict[int, Comment]:
    parents: dict[int, Comment] = {}
    for comment in comments:
        interaction = comment.interaction
        own = {key_of(interaction.permalink), key_of(interaction.source)}
        keys = [k for k in (key_of(u) for u in interaction.in_reply_to) if k not in own]
        # A reply naming both the post and a comment belongs under the comment.
        parent = next((nodes[k] for k in keys if k in nodes and nodes[k] is not comment), None)
        if parent is not None:
            parents[id(comment)] = parent
        elif keys and not post_keys.intersection(keys):
            comment.context_url = next(u for u in interaction.in_reply_to if key_of(u) == keys[0])
    return parents


def _cut_cycles(comments: list[Comment], parents: dict[int, Comment]) -> None:
    for start in comments:
        seen: list[Comment] = []
        node: Comment | None = start
        while node is not None and node not in seen:
            seen.append(node)
            node = parents.get(id(node))
        if node is None:
            continue
        # ``node`` is on a cycle: the earliest reply in it becomes top level,
        # shown "in reply to" whom it named.
        cycle = seen[seen.index(node) :]
        first = min(cycle, key=lambda c: _order(c.interaction))
        cut_parent = parents.pop(id(first))
        first.context_name = cut_parent.interaction.author.name
        first.context_url = cut_parent.interaction.permalink


def _set_depths(comment: Comment, depth: int, max_depth: int) -> None:
    comment.depth = depth
    comment.children.sort(key=lambda c: _order(c.interaction))
    if depth < max_depth:
        for child in comment.children:
            _set_depths(child, depth + 1, max_depth)
        return
    # At the deepest level shown, descendants are listed flat below it, in
    # date order, each deeper one saying whom it answers.
    flat: list[Comment] = []
    for child in comment.children:
        flat.extend(_flatten(child))
    for node in flat:
        node.depth = depth + 1
    comment.children = sorted(flat, key=lambda c: _order(c.interaction))


def _flatten(comment: Comment) -> Iterable[Comment]:
    children, comment.children = comment.children, []
    yield comment
    for child in children:
        child.context_name = comment.interaction.author.name or comment.interaction.permalink
        child.context_url = comment.interaction.permalink
        yield from _flatten(child)
