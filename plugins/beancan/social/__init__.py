"""``beancan.social``: conversations under the Mastodon and Bluesky copies of posts.

As a Pelican plugin it renders a post's ``Syndication:`` links and writes
the list of syndicated posts that ``invoke collect`` reads
(``<data>/syndication.jsonl``); the collectors themselves live in
``collect.py`` and are registered in ``beancan.collect``.
"""

__all__ = ["register"]


def register() -> None:
    # Imported here: the collectors import this package without Pelican.
    from .plugin import register as register_plugin

    register_plugin()
