"""Old posts find their new articles: map file, then slug, then old path; the rest are listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from beancan.importers import run_import
from beancan.importers.articles import SiteArticle, path_of
from beancan.importers.matching import ArticleIndex, MapFileError, read_map
from beancan.store import InteractionStore

from .conftest import DISQUS, WXR

ARTICLES = [
    SiteArticle("two-cans-and-a-string", "https://new.example/2009/05/two-cans-and-a-string/",
                "Two cans", "posts/a.md"),
    SiteArticle("café-notes", "https://new.example/notes/cafe/", "Café", "posts/b.md"),
    SiteArticle("knots-for-beginners", "https://new.example/2011/02/knots-for-beginners/",
                "Knots", "posts/c.md"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://Old.example/2009/05/Post/", "/2009/05/post"),
        ("http://old.example/2009/05/post", "/2009/05/post"),
        ("/2009/05/post/", "/2009/05/post"),
        ("2009/05/post/", "/2009/05/post"),
        ("https://old.example/caf%C3%A9/", "/café"),
    ],
)
def test_path_of_ignores_host_scheme_slash_case_and_encoding(url, key):
    assert path_of(url) == key


def test_slug_wins_over_a_path_that_changed():
    index = ArticleIndex(ARTICLES)
    found = index.match("http://old.example/?p=101", "two-cans-and-a-string")
    assert found is ARTICLES[0]


def test_percent_encoded_wordpress_slug_matches_a_unicode_slug():
    index = ArticleIndex(ARTICLES)
    assert index.match("http://old.example/?p=7", "caf%c3%a9-notes") is ARTICLES[1]


def test_old_path_matches_when_the_slug_does_not():
    index = ArticleIndex(ARTICLES)
    found = index.match("http://old.example/2011/02/knots-for-beginners/", "renamed-slug")
    assert found is ARTICLES[2]


def test_map_file_wins_and_names_articles_by_slug_path_or_url(tmp_path):
    index = ArticleIndex(ARTICLES)
    map_file = tmp_path / "map.txt"
    map_file.write_text(
        "# old URL                               new article\n"
        "http://old.example/?p=101               knots-for-beginners\n"
        "\n"
        "http://old.example/2008/cafe.html,/notes/cafe/\n"
        "http://old.example/x/  https://new.example/2009/05/two-cans-and-a-string/\n",
        encoding="utf-8",
    )
    index.mapped = read_map(map_file, index)
    assert index.match("http://old.example/?p=101", "two-cans-and-a-string") is ARTICLES[2]
    assert index.match("https://old.example/2008/cafe.html", "") is ARTICLES[1]
    assert index.match("http://old.example/x", "") is ARTICLES[0]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("http://old.example/a/", "expected 'OLD_URL ARTICLE'"),
        ("http://old.example/a/ no-such-post", "no article with the slug, path or URL"),
        ("http://old.example/a/ b c", "expected 'OLD_URL ARTICLE'"),
    ],
)
def test_a_bad_map_line_is_named_by_file_and_line(tmp_path, line, error):
    map_file = tmp_path / "map.txt"
    map_file.write_text(f"# header\n{line}\n", encoding="utf-8")
    with pytest.raises(MapFileError, match=rf"map\.txt:2: {error}"):
        read_map(map_file, ArticleIndex(ARTICLES))


def test_unmatched_posts_are_listed_with_slug_and_old_url(site):
    summary = run_import(site.settings, "wordpress", WXR)
    assert summary.unmatched == [("left-behind", "http://oldblog.example/2008/11/left-behind/")]
    assert summary.skipped["unmatched post"] == 1
    assert "left-behind  http://oldblog.example/2008/11/left-behind/" in summary.text()
    summary = run_import(site.settings, "disqus", DISQUS)
    assert summary.unmatched == [
        ("a-draft-never-moved", "http://oldblog.example/2011/03/a-draft-never-moved/")
    ]


def test_map_file_brings_an_unmatched_post_home(site, tmp_path):
    map_file = tmp_path / "map.txt"
    map_file.write_text(
        "http://oldblog.example/2008/11/left-behind/ a-quiet-post\n", encoding="utf-8"
    )
    summary = run_import(site.settings, "wordpress", WXR, map_file=map_file)
    assert summary.unmatched == []
    store = InteractionStore.load(site.data)
    (moved,) = [i for i in store if i.target == "https://ingrid.example/2012/01/a-quiet-post/"]
    assert moved.source == "http://oldblog.example/2008/11/left-behind/?replytocom=12"


def test_a_bad_map_file_stops_the_import_before_data_is_written(site, tmp_path):
    map_file = tmp_path / "map.txt"
    map_file.write_text("http://oldblog.example/2008/11/left-behind/ nowhere\n", encoding="utf-8")
    with pytest.raises(MapFileError):
        run_import(site.settings, "wordpress", WXR, map_file=Path(map_file))
    assert site.data_bytes() == {}
