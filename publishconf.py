"""Production settings: imports the development settings and overrides them."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = "https://tamsin.example"
FEED_DOMAIN = SITEURL
BEANCAN_SITE_ALIASES = ["https://www.tamsin.example", "http://127.0.0.1:8000"]
BEANCAN_WEBMENTION_ENDPOINT = "https://tamsin.example/webmention"
BEANCAN_PINGBACK_ENDPOINT = "https://tamsin.example/xmlrpc"
# Production never fetches private or loopback addresses.
BEANCAN_ALLOW_PRIVATE_ADDRESSES = False
DELETE_OUTPUT_DIRECTORY = True
