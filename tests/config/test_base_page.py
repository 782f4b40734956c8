import re

import pytest


@pytest.mark.django_db
def test_home_has_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html


@pytest.mark.django_db
def test_pages_carry_a_strict_csp(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'self'" in script_src
    assert "'nonce-" in script_src
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    # Every script on the page carries this response's nonce.
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


@pytest.mark.django_db
def test_bootstrap_is_served_locally(client):
    html = client.get("/").content.decode()
    href = re.search(r'href="([^"]*bootstrap\.min\.css)"', html).group(1)
    assert href.startswith("/static/")
    # The vendored file really exists (from the npm package, not a CDN).
    from django.contrib.staticfiles import finders

    assert finders.find(href.removeprefix("/static/"))
