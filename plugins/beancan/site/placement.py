"""The comment section and the Webmention links in a theme that does not place them.

A theme written for Beancan includes ``beancan/comments.html`` in its
``article.html`` (or prints ``{{ article.beancan_comments }}``) and prints
the ``<link rel="webmention">`` in its head.
Any other theme gets both from here, without an edit: every page Pelican
renders passes through ``render`` of the template class below, which adds

- the comment section (rendered from ``beancan/comments.html``, so a theme's
  own copy of that file is used here too) after the post's content, unless
  the page already has the section (its ``id``): no second copy;
- ``<link rel="webmention">`` / ``<link rel="pingback">`` before ``</head>``,
  unless the head already has them.

Where "after the content" is, from Pelican's own themes and a popular
third-party one (README "Add Beancan to your existing Pelican blog"):
``simple`` prints ``{{ article.content }}`` straight inside ``<article>``
(the section goes before ``</article>``, after the post's footer);
``notmyidea`` and Flex/Reflex wrap it in ``<div class="entry-content">``
(the section goes right after that ``</div>``, still inside the article).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from jinja2 import Template
from markupsafe import escape

from ..settings import BeancanSettings, get_settings

__all__ = [
    "SECTION_ID",
    "SECTION_TEMPLATE",
    "SETTINGS_ATTRIBUTE",
    "place",
    "placing_template_class",
]

logger = logging.getLogger(__name__)

SECTION_TEMPLATE = "beancan/comments.html"
#: The attribute of a Jinja environment holding its build's settings (``templates.py`` sets it).
SETTINGS_ATTRIBUTE = "beancan_settings"
#: The ``id`` of the section in ``beancan/comments.html``: a page that has it
#: placed the section itself.
SECTION_ID = "responses"

_HAS_SECTION = f'id="{SECTION_ID}"'
_HEAD_END = re.compile(r"</head\s*>", re.I)
_REL = re.compile(r"""<link\b[^>]*\brel=["']?[^"'>]*\b(webmention|pingback)\b""", re.I)
#: A ``<link>`` start tag up to its ``>``: ``_REL`` is matched only on the
#: tags that can name one of its rels, not backtracked through every one
#: (stylesheet, icon, feeds) of every page's head.
_LINK_TAG = re.compile(r"<link\b[^>]*", re.I)
_TAG = re.compile(
    r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>",
    re.S | re.I,
)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})  # fmt: skip
#: Elements the section goes *into* (before their end tag), rather than after.
_CONTAINERS = frozenset({"article", "main", "body"})
_FALLBACK = (re.compile(r"</article\s*>", re.I), re.compile(r"</main\s*>", re.I),
             re.compile(r"</body\s*>", re.I))  # fmt: skip


def placing_template_class(base: type[Template]) -> type[Template]:
    """A template class of ``base`` whose ``render`` places what the theme left out."""
    if issubclass(base, _Placing):
        return base
    return type("BeancanTemplate", (_Placing, base), {})


class _Placing(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        context = args[0] if len(args) == 1 and not kwargs else dict(*args, **kwargs)
        post = context.get("article") if isinstance(context, dict) else None
        if getattr(post, "beancan", None) is None:
            return place(super().render(*args, **kwargs), context, self.environment)
        # ``article.beancan_comments`` is there while the post's page renders,
        # then goes: kept, it would keep that page's whole context alive
        # (2,000 copies of Pelican's context for the rest of the build).
        outer = vars(post).get("beancan_comments", _NONE)
        post.beancan_comments = _Section(self.environment, context)
        try:
            html = super().render(*args, **kwargs)
            return place(html, context, self.environment)
        finally:
            if outer is _NONE:
                del post.beancan_comments
            else:
                post.beancan_comments = outer  # a section rendered inside a page's render


_NONE = object()


class _Section:
    """``{{ article.beancan_comments }}``: the section, rendered where a theme prints it."""

    __slots__ = ("_context", "_env")

    def __init__(self, env, context: dict[str, Any]) -> None:
        self._env = env
        self._context = context

    def __html__(self) -> str:
        return self._env.get_template(SECTION_TEMPLATE).render(self._context)

    __str__ = __html__


def place(html: str, context: dict[str, Any], env) -> str:
    """``html`` with the comment section and the head links the theme did not place."""
    head_end = _HEAD_END.search(html)
    if head_end is None:
        return html  # a fragment (the section rendered on its own), not a page
    placed = _place_section(html, context, env)
    if placed is not html:  # (after the post's content: in the head only in a strange theme)
        head_end = _HEAD_END.search(placed)
    return _place_head_links(placed, _settings(env, context), head_end.start())


def _place_section(html: str, context: dict[str, Any], env) -> str:
    # Articles only: a theme's pages (About, Contact) seldom want comments,
    # and a theme that wants them there includes the template itself.
    post = context.get("article")
    if getattr(post, "beancan", None) is None or _HAS_SECTION in html:
        return html
    section = env.get_template(SECTION_TEMPLATE).render(context).strip()
    if not section:
        return html
    at = _after_content(html, getattr(post, "content", "") or "")
    return f"{html[:at]}\n{section}\n{html[at:]}"


def _after_content(html: str, content: str) -> int:
    """Where the section goes: after the element holding the post's content."""
    start = html.rfind(content) if content.strip() else -1
    if start >= 0:
        closing = _enclosing_end_tag(html, start + len(content))
        if closing is not None:
            name, begin, end = closing
            return begin if name in _CONTAINERS else end
    # The theme prints the content changed (or not at all): the end of the page's article.
    logger.debug("Post content not found as printed; the comment section goes at the end")
    for pattern in _FALLBACK:
        found = list(pattern.finditer(html))
        if found:
            return found[-1].start()
    return len(html)


def _enclosing_end_tag(html: str, position: int) -> tuple[str, int, int] | None:
    """The end tag of the element open at ``position``: (name, start, end)."""
    depth = 0
    for match in _TAG.finditer(html, position):
        name = match.group(3)
        if name is None:
            continue  # a comment, a script or a style
        name = name.lower()
        if match.group(2):
            depth -= 1
            if depth < 0:
                return name, match.start(), match.end()
        elif name not in _VOID and not match.group(4):
            depth += 1
    return None


def _head_link(rel: str, url: str) -> str:
    """The ``<link>`` tag placed for ``rel``, as a theme written for Beancan prints it too."""
    return f'<link rel="{rel}" href="{escape(url)}">'


def _settings(env, context: dict[str, Any]) -> BeancanSettings:
    """The build's settings: kept on its environment, else read from the page's context.

    Pelican renders each page with a copy of its context, which
    ``get_settings`` would compare key by key (4,000 pages a build).
    """
    kept = getattr(env, SETTINGS_ATTRIBUTE, None)
    return kept if isinstance(kept, BeancanSettings) else get_settings(context)


def _place_head_links(html: str, settings: BeancanSettings, head_end: int) -> str:
    wanted = {"webmention": settings.webmention_endpoint, "pingback": settings.pingback_endpoint}
    # The tag this function would add, found whole in the head: the scan
    # below would count it (its last rel= before its ">" is its own), so a
    # page that has both is done without scanning (4,000 pages a build).
    wanted = {
        rel: url
        for rel, url in wanted.items()
        if url and html.find(_head_link(rel, url), 0, head_end) < 0
    }
    if not wanted:
        return html
    for tag in _LINK_TAG.findall(html, 0, head_end):
        # A rel counts when the word it matched lowers to "webmention" or
        # "pingback" (``wanted.pop`` below), so the tag lowered holds it.
        low = tag.lower()
        if "webmention" not in low and "pingback" not in low:
            continue
        found = _REL.match(tag)
        if found is not None:
            wanted.pop(found.group(1).lower(), None)
    links = "".join(f"{_head_link(rel, url)}\n" for rel, url in wanted.items())
    if not links:
        return html
    return f"{html[:head_end]}{links}{html[head_end:]}"
