"""Thousands of pages from one template render: the person and conversation pages.

Rendering ``person.html`` (and the whole ``base.html`` around it) once per
person costs about a quarter of a millisecond; for 5,000 people that alone
is over a second of the 3 s the issue allows (and 1,900 conversation pages
were 0.5 s of a 2,000-post build). But these pages differ only in the values
they print, so the template is rendered **once**, with
markers in place of those values (``person_page.person.name`` and so on),
and each page is the shell with its own values put in, escaped exactly as
Jinja's autoescape would.

That is only right while the template just prints values. Markers refuse
everything else (a test, a loop, a filter, string concatenation) by
raising, and the first and last pages are also rendered the ordinary way
and compared with the shell's; on any difference every page is rendered by
Jinja, slower and correct. A shell is a plain record (its literal pieces
and the paths of its values), so the conversations job fills and writes the
pages beside the build (``write_pages``); the build then makes that check
against the files written.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from markupsafe import Markup, escape

from ..errors import BeancanError

__all__ = ["NotPlain", "PageShell", "render_pages", "write_page", "write_pages"]

logger = logging.getLogger(__name__)

_MARK = "\x00bc-shell:"
_END = "\x00"
_SPLIT = re.compile(re.escape(_MARK) + r"([^\x00]*)" + re.escape(_END))


class NotPlain(BeancanError):
    """The template does more than print a value: the shell cannot stand in for it."""


class _Marker:
    """Stands for a value while the shell renders: it can be printed or dug into."""

    __slots__ = ("_path",)

    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> _Marker:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Marker(f"{self._path}.{name}")

    def __html__(self) -> str:
        return f"{_MARK}{self._path}{_END}"

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise NotPlain(f"the template uses {self._path} in more than a plain {{{{ }}}}")

    __str__ = __bool__ = __len__ = __iter__ = __eq__ = __lt__ = __getitem__ = _refuse
    __contains__ = __add__ = __radd__ = __call__ = __int__ = __float__ = _refuse
    __hash__ = None  # type: ignore[assignment]


def _resolve(root: Any, path: str) -> str:
    value = root
    for name in path.split(".")[1:]:
        value = getattr(value, name)
    # What Jinja's autoescape prints: markup as it is (without markupsafe's
    # copy of it: timelines run to hundreds of kilobytes), anything else escaped.
    html = getattr(value, "__html__", None)
    return html() if html is not None else str(escape(value))


class PageShell:
    """A template rendered once with markers under the name ``name``."""

    def __init__(self, render: Callable[[Any, str], str], name: str, placeholder: str) -> None:
        """``render(page_value, output_file)`` renders the template for one page.

        ``placeholder`` is the part of a page's output file name that differs
        between pages (the person's slug); it becomes a marker too.
        """
        self.name = name
        slot = f"{_MARK}{name}.slot{_END}"
        text = render(_Marker(name), placeholder.replace("{slot}", slot))
        pieces = _SPLIT.split(text)
        self._literals = pieces[0::2]
        self._paths = pieces[1::2]

    def fill(self, page: Any, slot: str) -> str:
        """The shell with ``page``'s values (``slot`` for the output file's marker)."""
        out = [self._literals[0]]
        for path, literal in zip(self._paths, self._literals[1:], strict=True):
            if path == f"{self.name}.slot":
                out.append(str(escape(slot)))
            else:
                out.append(_resolve(page, path))
            out.append(literal)
        return "".join(out)


def render_pages(
    pages: Sequence[Any],
    render: Callable[[Any, str], str],
    *,
    name: str,
    save_as: str,
    slot_of: Callable[[Any], str],
) -> Iterator[tuple[Any, str]]:
    """``(page, html)`` for every page, from one shell when the template allows it.

    ``render(page, output_file)`` is the ordinary per-page render;
    ``save_as`` the output file with ``{slot}`` where ``slot_of(page)`` goes.
    """
    shell = None
    if pages:
        try:
            shell = PageShell(render, name, save_as)
            for page in {id(p): p for p in (pages[0], pages[-1])}.values():
                expected = render(page, save_as.replace("{slot}", slot_of(page)))
                if shell.fill(page, slot_of(page)) != expected:
                    raise NotPlain(f"the shell of {name} differs from its page {slot_of(page)}")
        except NotPlain as exc:
            logger.debug("Rendering each page of %s: %s", name, exc)
            shell = None
    for page in pages:
        if shell is not None:
            yield page, shell.fill(page, slot_of(page))
        else:
            yield page, render(page, save_as.replace("{slot}", slot_of(page)))


def write_pages(pages: Sequence[Any], shell: PageShell, output_path: str) -> list[str] | None:
    """Fill ``shell`` for every page and write it to ``output_path/<page.save_as>``.

    The paths written, as Pelican's ``sanitised_join`` names them, or None
    (nothing written) when a ``save_as`` would leave the output folder: they
    come from our own slugs, but the build, which refuses such a path, then
    says so. The bodies written are dropped: the build does not need them
    unless it writes the pages again, and then it renders them again.
    """
    root = os.path.abspath(output_path)
    paths = [os.path.abspath(os.path.join(root, page.save_as)) for page in pages]
    outside = [path for path in paths if not path.startswith(root + os.sep)]
    if outside:
        logger.debug("Not writing %s: %s is outside %s", shell.name, outside[0], root)
        return None
    made: set[str] = set()
    for page, path in zip(pages, paths, strict=True):
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        write_page(path, shell.fill(page, page.slug))
        page.body = Markup("")
    return paths


def write_page(path: str, html: str) -> None:
    """Write one page, unless the file already holds exactly these bytes.

    A rebuild after a collect changes a few of thousands of person and
    conversation pages: the others keep their files and modification times
    (what an rsync deploy compares), and the build's disk is spared
    rewriting them while Pelican writes its own (as ``write_jsonl`` leaves a
    data file alone).
    """
    data = html.encode("utf-8")
    try:
        with open(path, "rb") as handle:
            if handle.read(len(data) + 1) == data:
                return
    except OSError:
        pass  # not there yet (or unreadable): written below
    with open(path, "wb") as handle:
        handle.write(data)
