"""Small builders for graph tests: interactions and own posts in one line each."""

from __future__ import annotations

from beancan.graph import OwnPost, PeopleIndex
from beancan.model import Interaction, make_interaction

ME = "https://me.example/"


def people(**kwargs) -> PeopleIndex:
    return PeopleIndex([ME], **kwargs)


def response(
    source: str,
    target: str,
    author: str,
    date: str,
    *,
    kind: str = "reply",
    in_reply_to: tuple[str, ...] = (),
    direction: str = "in",
    name: str = "",
) -> Interaction:
    if kind == "reply" and not in_reply_to:
        in_reply_to = (target,)
    return make_interaction(
        source=source,
        target=target,
        kind=kind,
        in_reply_to=in_reply_to,
        author={"name": name or author.split("//")[1].split(".")[0].title(), "url": author},
        published=date,
        status="approved",
        channels=("webmention",),
        direction=direction,
        content_text=f"{kind} from {author}",
    )


def post(
    url: str, date: str, *, reply_to: str = "", links: tuple[str, ...] = (), **kinds
) -> OwnPost:
    responses = [("reply", reply_to)] if reply_to else []
    responses += [(kind, target) for kind, target in kinds.items()]
    return OwnPost(url=url, title=url.rsplit("/", 2)[-2], published=date,
                   responses=tuple(responses), links=links)  # fmt: skip
