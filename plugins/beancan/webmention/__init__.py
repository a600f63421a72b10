"""Webmentions both ways: collect from JF2 APIs, send for every post (pingback fallback).

Modules: ``discovery`` (W3C Webmention §3.1.2 endpoint discovery), ``send``
and ``plan`` (what to notify, and notifying it), ``pingback`` (XML-RPC
fallback), ``sentlog`` (``data/sent.jsonl``), ``sources`` (our posts' links),
``jf2`` (JF2 entry → Interaction), ``collect`` and ``state`` (the APIs).
"""
