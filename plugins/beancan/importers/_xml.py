"""A streaming, entity-free XML reader for export files.

Exports are big (tens of megabytes) and come from elsewhere, so they are
read as a stream with lxml, never as one tree, and with every XML feature
an attack needs switched off: no entity expansion, no DTD loading, no
network, no huge-tree mode. WordPress and Disqus never write a DOCTYPE, so
a file that declares one is refused outright rather than half-trusted:
that one rule stops both the billion-laughs and the external-entity
(XXE) attacks before any of their text is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ..errors import ExportFileError

__all__ = ["Progress", "child_texts", "iter_elements", "local_name", "namespace", "text_of"]

#: ``progress(description, bytes_read_since_last_call)``.
Progress = Callable[[str, int], None]


class _CountingReader:
    """A file whose reads are reported to ``progress``: a bar over the file's bytes."""

    def __init__(self, handle: BinaryIO, progress: Progress | None, label: str) -> None:
        self.handle = handle
        self.progress = progress
        self.label = label

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.progress is not None and data:
            self.progress(self.label, len(data))
        return data


def local_name(tag: object) -> str:
    """``{namespace}name`` → ``name`` (comments and processing instructions give "")."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def text_of(element: etree._Element | None) -> str:
    """The text of an element (CDATA included), stripped; "" when absent."""
    if element is None:
        return ""
    return (element.text or "").strip()


def child_texts(element: etree._Element) -> dict[str, str]:
    """``{local name: text}`` of an element's direct children (first of each name)."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(local_name(child.tag), text_of(child))
    return found


def iter_elements(
    path: Path, wanted: dict[str, int], progress: Progress | None = None
) -> Iterator[etree._Element]:
    """Yield each complete element named in ``wanted`` at its depth, then free it.

    ``wanted`` maps a local name to the depth it is wanted at (the root is
    0), so a ``<thread>`` inside a Disqus post is not taken for a thread.

    The caller reads what it needs from the element before asking for the
    next; the element is cleared afterwards, and so are the siblings before
    it, so memory stays flat however long the file is. Raises
    ExportFileError naming the file (and the line, for broken XML).
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ExportFileError(f"{path}: cannot be read: {exc.strerror}") from exc
    with handle:
        events = etree.iterparse(
            _CountingReader(handle, progress, f"reading {path.name}"),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        )
        checked = False
        depth = -1
        try:
            for event, element in events:
                if event == "start":
                    if not checked:
                        _refuse_doctype(path, element)
                        checked = True
                    depth += 1
                    continue
                depth -= 1
                if wanted.get(local_name(element.tag)) != depth + 1:
                    continue
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or (exc.position or (0,))[0]
            raise ExportFileError(
                f"{path}:{line}: not a complete XML file ({_reason(exc)}); "
                "export it again or check that the download finished"
            ) from exc
        if not checked:
            raise ExportFileError(f"{path}: empty file; not an export")


def _refuse_doctype(path: Path, root: etree._Element) -> None:
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        raise ExportFileError(
            f"{path}: refused: the file declares a DOCTYPE (entity expansion and external "
            "entities are not allowed; WordPress and Disqus exports never have one)"
        )


def _reason(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc).splitlines()[0]
    # lxml appends ", line N, column M": the line is already in front.
    return message.split(", line ")[0]
