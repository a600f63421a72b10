"""Development settings for the Beancan demo blog.

Works offline: everything Beancan needs to build is in content/ and data/.
publishconf.py imports this file and overrides what production changes.
"""

from pathlib import Path

AUTHOR = "Tamsin Hale"
SITENAME = "Tin Can Telephone"
SITESUBTITLE = "Notes on talking to each other online"
# The demo is served locally; publishconf.py sets the real address.
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = False

PATH = "content"
# Relative paths here are relative to this file, wherever Pelican runs from.
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 5
DEFAULT_DATE_FORMAT = "%-d %B %Y"
SUMMARY_MAX_LENGTH = 40

ARTICLE_PATHS = ["posts", "notes"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
USE_FOLDER_AS_CATEGORY = True
DEFAULT_CATEGORY = "posts"

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Autoescape everything the templates print; trusted HTML is marked |safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Extra links in the site menu (site-relative).
MENUITEMS = (("Conversations", "/conversations/"), ("Peers", "/peers/"))

# Beancan is one importable package (installed in editable mode); each
# feature is its own Pelican plugin and can be switched off here.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "beancan.site",
    "beancan.comments",
    "beancan.conversations",
    "beancan.peers",
    "beancan.gone",
    "beancan.social",
]

# ---- Beancan -------------------------------------------------------------
# Every Beancan setting is documented in README.md ("Settings").
# The interaction store and other data files, next to this settings file.
BEANCAN_DATA_DIR = str(Path(__file__).resolve().parent / "data")
# Other addresses this site has answered at: links in any of these forms
# resolve to our own posts.
BEANCAN_SITE_ALIASES = ["https://tamsin.example", "https://www.tamsin.example"]
BEANCAN_AUTHOR = {
    "name": AUTHOR,
    "url": "https://tamsin.example/",
    "photo": "images/tamsin.svg",
    "note": "Writes about the strings that tie people together online.",
}
BEANCAN_REL_ME = [
    "https://social.example/@tamsin",
    "https://bsky.app/profile/tamsin.example",
    "https://code.example/tamsin",
]
BEANCAN_WEBMENTION_ENDPOINT = "http://127.0.0.1:8001/webmention"
BEANCAN_PINGBACK_ENDPOINT = "http://127.0.0.1:8001/xmlrpc"
BEANCAN_MODERATION = "known"
# The demo's peers and receiver live on this machine.
BEANCAN_ALLOW_PRIVATE_ADDRESSES = True
# Other addresses of one person, merged into one on the conversations page:
# Sam's Mastodon profile (relayed by Bridgy) is the same Sam as sam.example.
BEANCAN_PERSON_ALIASES = {"https://sam.example/": ["https://social.example/@samk"]}
# Peer blogs followed by their feeds (README "Peers"); "feed" is found from
# the home page when left out. The demo's feed state and recent posts are in
# data/peers.jsonl and data/peer-posts.jsonl, so the build needs no network.
BEANCAN_PEERS = [
    {"name": "Counter Talk", "url": "https://rafe.example/", "feed": "https://rafe.example/feed/"},
    {
        "name": "Loose Ties",
        "url": "https://priya.example/",
        "feed": "https://priya.example/feed.xml",
    },
    {"name": "Le fil d'Odile", "url": "https://odile.example/"},
    {
        "name": "Sam's Notebook",
        "url": "https://sam.example/",
        "feed": "https://sam.example/feed.json",
    },
    {
        "name": "Sunday Links",
        "url": "https://mara.example/",
        "feed": "https://mara.example/rss.xml",
    },
]
