"""pingback.ping over XML-RPC, with the Pingback 1.0 fault codes."""

from __future__ import annotations

import xmlrpc.client

import pytest

from tests.receiver.conftest import POST, Page, mentions


def ping(client, source: str, target: str = POST, method: str = "pingback.ping"):
    body = xmlrpc.client.dumps((source, target), methodname=method)
    response = client.post("/xmlrpc", content=body, headers={"content-type": "text/xml"})
    assert response.status_code == 200
    try:
        return xmlrpc.client.loads(response.content)[0][0]
    except xmlrpc.client.Fault as fault:
        return fault.faultCode


def test_a_valid_pingback_is_registered_and_served_as_a_pingback(receiver, source_site):
    client = receiver()
    source = source_site.reply("/pb/1")
    assert ping(client, source) == f"Pingback from {source} to {POST} registered. Thanks!"
    [entry] = mentions(client)
    assert entry["wm-protocol"] == "pingback"
    assert entry["wm-source"] == source


@pytest.mark.parametrize(
    ("page", "target", "code"),
    [
        (Page(body="<p>no link here</p>"), POST, 0x11),
        (Page(404, "missing"), POST, 0x10),
        (Page(410, "gone"), POST, 0x10),
        (None, "https://elsewhere.example/post/", 0x21),
        (None, "not a url", 0x21),
    ],
)
def test_faults_say_what_is_wrong(receiver, source_site, page, target, code):
    client = receiver()
    if page is not None:
        source_site.pages["/pb/2"] = page
    assert ping(client, source_site.url("/pb/2"), target) == code


def test_a_second_pingback_for_the_same_pair_is_already_registered(receiver, source_site):
    client = receiver()
    source = source_site.reply("/pb/3")
    assert isinstance(ping(client, source), str)
    assert ping(client, source) == 0x30


def test_a_blocked_domain_is_access_denied(receiver):
    client = receiver(receiver_blocked_domains=("spam.example",))
    assert ping(client, "https://spam.example/p") == 0x31


def test_an_unknown_method_and_bad_xml_are_xmlrpc_faults(receiver, source_site):
    client = receiver()
    assert ping(client, source_site.url("/x"), method="pingback.extensions.getPingbacks") == -32601
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><methodCall/>'
    response = client.post("/xmlrpc", content=bomb)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(response.content)
    assert fault.value.faultCode == -32700
    one_param = xmlrpc.client.dumps(("https://a.example/",), methodname="pingback.ping")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(client.post("/xmlrpc", content=one_param).content)
    assert fault.value.faultCode == -32602
