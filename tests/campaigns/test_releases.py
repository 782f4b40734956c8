"""Fetching a release by URL, against made-up pages served by `responses`."""

import re

import pytest
import requests
import responses

from campaigns.drafting import fetch
from campaigns.drafting.fetch import ReleaseFetchError, fetch_release_text

URL = "https://news.example.org/releases/clean-harbors"
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Clean Harbors | Example</title></head>
<body>
<nav><a href="/">Home</a> <a href="/donate">Donate</a></nav>
<article>
<h1>Harbor Alliance Urges Senate to Pass Clean Harbors Act</h1>
<p>WASHINGTON (March 4, 2025) – The Harbor Alliance today urged the Senate to pass the
Clean Harbors Act, a bill that would fund the cleanup of forty industrial harbors.</p>
<p>“We call on every senator to vote yes,” said Maria Okafor, director of the Harbor
Alliance. “Harbor towns have waited long enough for Washington to act.”</p>
</article>
<footer>Privacy policy. Terms of use.</footer>
</body></html>"""


@responses.activate
def test_html_is_reduced_to_its_main_text_with_paragraph_breaks():
    responses.get(URL, body=PAGE, content_type="text/html; charset=utf-8")
    text = fetch_release_text(URL)
    lines = text.splitlines()
    assert lines[0] == "Harbor Alliance Urges Senate to Pass Clean Harbors Act"
    assert lines[1].startswith("WASHINGTON (March 4, 2025) – The Harbor Alliance")
    assert "Donate" not in text
    assert "Privacy policy" not in text


@responses.activate
def test_request_names_the_project_and_has_a_timeout(monkeypatch):
    seen = {}
    real_get = requests.get

    def spy(url, **kwargs):
        seen.update(kwargs)
        return real_get(url, **kwargs)

    monkeypatch.setattr(fetch.requests, "get", spy)
    responses.get(URL, body="Plain release text.", content_type="text/plain")
    fetch_release_text(URL)
    assert seen["timeout"] == fetch.TIMEOUT
    assert "Constituent" in seen["headers"]["User-Agent"]
    assert responses.calls[0].request.headers["User-Agent"].startswith("Constituent")


@responses.activate
def test_plain_text_comes_back_as_it_is():
    body = "Harbor Alliance Urges Senate to Act\n\nWASHINGTON – The alliance urged the Senate."
    responses.get(URL, body=body.encode("utf-8"), content_type="text/plain; charset=utf-8")
    assert fetch_release_text(URL) == body


@responses.activate
def test_not_found_says_so():
    responses.get(URL, status=404)
    with pytest.raises(ReleaseFetchError, match=re.escape("That address returned 404 Not Found.")):
        fetch_release_text(URL)


@responses.activate
def test_a_slow_page_says_it_took_too_long():
    responses.get(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(ReleaseFetchError, match=re.escape("That page took too long to answer.")):
        fetch_release_text(URL)


@responses.activate
def test_an_unreachable_host_says_so():
    responses.get(URL, body=requests.exceptions.ConnectionError("no route"))
    with pytest.raises(ReleaseFetchError, match="could not connect"):
        fetch_release_text(URL)


@responses.activate
def test_a_page_without_text_says_so():
    page = "<html><head><script>var x = 1;</script></head><body></body></html>"
    responses.get(URL, body=page, content_type="text/html")
    with pytest.raises(ReleaseFetchError, match=re.escape("That page has no text we could read.")):
        fetch_release_text(URL)


@responses.activate
def test_other_content_types_are_refused():
    responses.get(URL, body=b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(ReleaseFetchError, match="application/pdf"):
        fetch_release_text(URL)


@responses.activate
def test_a_page_past_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    monkeypatch.setattr(fetch, "CHUNK_BYTES", 100)
    responses.get(URL, body="<p>" + "x" * 5000 + "</p>", content_type="text/html")
    with pytest.raises(ReleaseFetchError, match="larger than"):
        fetch_release_text(URL)


@responses.activate
def test_a_declared_length_past_the_cap_is_refused_before_reading():
    too_long = str(fetch.MAX_BYTES + 1)
    responses.get(
        URL, body="short", content_type="text/plain", headers={"Content-Length": too_long}
    )
    with pytest.raises(ReleaseFetchError, match=re.escape("Paste the release text instead.")):
        fetch_release_text(URL)


@pytest.mark.parametrize("url", ["ftp://example.org/r.txt", "file:///etc/passwd", "example.org"])
def test_only_http_and_https_addresses(url):
    with pytest.raises(ReleaseFetchError, match="http:// or https://"):
        fetch_release_text(url)
