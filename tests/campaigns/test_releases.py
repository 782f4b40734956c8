"""Fetching a release by URL, against made-up pages on a real local server.

The server listens on 127.0.0.1, which the fetch refuses unless the host is
in RELEASE_FETCH_ALLOWED_HOSTS: the happy paths allow it, the refusals don't.
"""

import re
import socket
import ssl

import pytest

from campaigns.drafting import fetch
from campaigns.drafting.addresses import is_public
from campaigns.drafting.fetch import UNREACHABLE, ReleaseFetchError, fetch_release_text
from tests.support.web_server import Page, WebServer, page, redirect

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
SECRET = "internal secret: the metadata service's credentials"


@pytest.fixture
def allow_loopback(settings):
    settings.RELEASE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def server():
    with WebServer({"/release": page(PAGE), "/secret": page(SECRET, "text/plain")}) as web:
        yield web


class TestPages:
    @pytest.fixture(autouse=True)
    def _allowed(self, allow_loopback):
        pass

    def test_html_is_reduced_to_its_main_text_with_paragraph_breaks(self, server):
        lines = fetch_release_text(server.url("/release")).splitlines()
        assert lines[0] == "Harbor Alliance Urges Senate to Pass Clean Harbors Act"
        assert lines[1].startswith("WASHINGTON (March 4, 2025) – The Harbor Alliance")
        assert "Donate" not in "\n".join(lines)
        assert "Privacy policy" not in "\n".join(lines)

    def test_plain_text_comes_back_as_it_is(self):
        body = "Harbor Alliance Urges Senate to Act\n\nWASHINGTON – The alliance urged the Senate."
        with WebServer({"/r.txt": page(body, "text/plain; charset=utf-8")}) as web:
            assert fetch_release_text(web.url("/r.txt")) == body

    def test_not_found_says_so(self, server):
        with pytest.raises(ReleaseFetchError, match=re.escape("returned 404 Not Found.")):
            fetch_release_text(server.url("/nowhere"))

    def test_a_page_without_text_says_so(self):
        empty = "<html><head><script>var x = 1;</script></head><body></body></html>"
        with (
            WebServer({"/": page(empty)}) as web,
            pytest.raises(ReleaseFetchError, match="no text we could read"),
        ):
            fetch_release_text(web.url("/"))

    def test_other_content_types_are_refused(self):
        with (
            WebServer({"/r.pdf": page(b"%PDF-1.7", "application/pdf")}) as web,
            pytest.raises(ReleaseFetchError, match="application/pdf"),
        ):
            fetch_release_text(web.url("/r.pdf"))

    def test_a_page_past_the_size_cap_is_refused(self, monkeypatch):
        monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
        monkeypatch.setattr(fetch, "CHUNK_BYTES", 100)
        big = Page(b"<p>" + b"x" * 5000 + b"</p>", headers={"Content-Type": "text/html"})
        with WebServer({"/": big}) as web, pytest.raises(ReleaseFetchError, match="larger than"):
            fetch_release_text(web.url("/"))

    def test_the_request_names_the_project_and_the_host(self, server):
        fetch_release_text(server.url("/release"))
        assert server.requests == [{"path": "/release", "host": f"127.0.0.1:{server.port}"}]

    def test_redirects_are_followed_within_a_limit(self, monkeypatch):
        routes = {"/old": redirect("/release", 301), "/release": page(PAGE)}
        routes |= {f"/loop{n}": redirect(f"/loop{n + 1}") for n in range(10)}
        with WebServer(routes) as web:
            assert fetch_release_text(web.url("/old")).startswith("Harbor Alliance")
            with pytest.raises(ReleaseFetchError, match="redirects too many times"):
                fetch_release_text(web.url("/loop0"))
            assert len([r for r in web.requests if r["path"].startswith("/loop")]) == 6

    def test_a_dripping_server_is_cut_off_at_the_deadline(self, monkeypatch):
        # One byte every 0.3 s: no single read waits long, but the page would
        # take 90 s; the whole fetch has 2.
        monkeypatch.setattr(fetch, "DEADLINE", 2)
        dripping = Page(b"x" * 300, headers={"Content-Type": "text/plain"}, drip=0.3)
        with (
            WebServer({"/": dripping}) as web,
            pytest.raises(ReleaseFetchError, match="took too long"),
        ):
            fetch_release_text(web.url("/"))

    def test_a_server_that_never_answers_is_cut_off_at_the_deadline(self, monkeypatch):
        # Accepts the connection and says nothing: the per-read timeout alone
        # (60 s here) would wait; the fetch's deadline (2 s) does not.
        monkeypatch.setattr(fetch, "DEADLINE", 2)
        monkeypatch.setattr(fetch, "TIMEOUT", 60)
        with socket.create_server(("127.0.0.1", 0)) as silent:
            port = silent.getsockname()[1]
            with pytest.raises(ReleaseFetchError, match="took too long"):
                fetch_release_text(f"http://127.0.0.1:{port}/")

    def test_a_read_timed_out_is_too_slow_too(self, monkeypatch):
        # The socket's timeout is what remains of the deadline, so it may fire
        # before the deadline's own timer: the supporter hears the same reason.
        monkeypatch.setattr(fetch, "DEADLINE", 60)
        monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
        with socket.create_server(("127.0.0.1", 0)) as silent:
            port = silent.getsockname()[1]
            with pytest.raises(ReleaseFetchError, match="took too long"):
                fetch_release_text(f"http://127.0.0.1:{port}/")

    def test_it_connects_to_the_address_it_checked(self, settings, server, monkeypatch):
        # news.example.org resolves (here) to the server once; the fetch must
        # connect to that answer and send the name as the Host.
        settings.RELEASE_FETCH_ALLOWED_HOSTS = ["news.example.org"]
        calls = []

        def resolve(host, port, *args, **kwargs):
            calls.append(host)
            assert host == "news.example.org"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

        monkeypatch.setattr(fetch.socket, "getaddrinfo", resolve)
        text = fetch_release_text(f"http://news.example.org:{server.port}/release")
        assert text.startswith("Harbor Alliance")
        assert calls == ["news.example.org"]
        assert server.requests[-1]["host"] == f"news.example.org:{server.port}"


class TestHttps:
    """TLS to the pinned address still checks the certificate against the
    name, and asks for that name by SNI."""

    @pytest.fixture
    def https_server(self, settings, monkeypatch):
        trustme = pytest.importorskip("trustme")
        authority = trustme.CA()
        server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("news.example.org").configure_cert(server_tls)
        client_tls = ssl.create_default_context()
        authority.configure_trust(client_tls)
        monkeypatch.setattr(fetch.PinnedConnection, "tls", client_tls)
        settings.RELEASE_FETCH_ALLOWED_HOSTS = ["news.example.org", "other.example.org"]

        def resolve(host, port, *args, **kwargs):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

        monkeypatch.setattr(fetch.socket, "getaddrinfo", resolve)
        with WebServer({"/release": page(PAGE)}, tls=server_tls) as web:
            yield web

    def test_the_certificate_is_checked_against_the_name(self, https_server):
        url = https_server.url("/release", host="news.example.org")
        assert fetch_release_text(url).startswith("Harbor Alliance")
        assert https_server.sni == ["news.example.org"]

    def test_a_certificate_for_another_name_is_refused(self, https_server):
        with pytest.raises(ReleaseFetchError, match=re.escape(UNREACHABLE)):
            fetch_release_text(https_server.url("/release", host="other.example.org"))
        assert https_server.requests == []


class TestRefusals:
    """Without the allowance, nothing inside reaches the organizer, and the
    message is the same whatever stands behind the address."""

    @pytest.mark.parametrize(
        "host",
        ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "127.1", "0.0.0.0", "[::1]",  # noqa: S104
         "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"],
    )  # fmt: skip
    def test_loopback_in_any_spelling_is_refused(self, server, host):
        with pytest.raises(ReleaseFetchError) as refused:
            fetch_release_text(f"http://{host}:{server.port}/secret")
        assert refused.value.message == UNREACHABLE
        assert server.requests == []

    def test_a_redirect_inward_is_refused(self, settings, server):
        # The first hop is allowed; the redirect to a loopback address is not.
        settings.RELEASE_FETCH_ALLOWED_HOSTS = ["localhost"]
        server.routes["/start"] = redirect(f"http://2130706433:{server.port}/secret")
        server.routes["/again"] = redirect(f"http://127.0.0.1:{server.port}/secret")
        for start in ("/start", "/again"):
            with pytest.raises(ReleaseFetchError) as refused:
                fetch_release_text(server.url(start, host="localhost"))
            assert refused.value.message == UNREACHABLE
        assert "/secret" not in [request["path"] for request in server.requests]

    def test_a_name_that_resolves_inward_is_refused(self, server, monkeypatch):
        def resolve(host, port, *args, **kwargs):
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            ]

        monkeypatch.setattr(fetch.socket, "getaddrinfo", resolve)
        with pytest.raises(ReleaseFetchError, match=re.escape(UNREACHABLE)):
            fetch_release_text("http://rebind.example.org/secret")

    def test_a_public_host_on_another_port_is_refused_before_connecting(self, monkeypatch):
        def resolve(host, port, *args, **kwargs):
            raise AssertionError("resolved a name it should have refused")

        monkeypatch.setattr(fetch.socket, "getaddrinfo", resolve)
        with pytest.raises(ReleaseFetchError, match=re.escape(UNREACHABLE)):
            fetch_release_text("http://news.example.org:6379/")

    def test_a_closed_port_reads_like_a_refused_address(self, settings):
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        settings.RELEASE_FETCH_ALLOWED_HOSTS = ["localhost"]
        with pytest.raises(ReleaseFetchError) as unreachable:
            fetch_release_text(f"http://localhost:{port}/")
        with pytest.raises(ReleaseFetchError) as refused:
            fetch_release_text(f"http://127.0.0.1:{port}/")
        assert unreachable.value.message == refused.value.message == UNREACHABLE

    @pytest.mark.parametrize(
        "url", ["ftp://example.org/r.txt", "file:///etc/passwd", "example.org", "http:///x"]
    )
    def test_only_http_and_https_addresses(self, url):
        with pytest.raises(ReleaseFetchError, match="http:// or https://"):
            fetch_release_text(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",  # noqa: S104
        "198.18.0.1", "192.0.0.8",
        "::", "::1", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1",
        "2002:7f00:1::", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",
        "64:ff9b:1::1", "2001:db8::1", "100::1", "not an address",
    ],
)  # fmt: skip
def test_inner_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808",
     "2002:808:808::1"],
)  # fmt: skip
def test_public_addresses_are_public(address):
    assert is_public(address)
