import pytest

from webhooks.addresses import UnsafeUrl, check_url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/hook", "127.0.0.1, which is not a public address"),
        ("https://localhost/hook", "is not a public address"),
        ("https://10.1.2.3/hook", "not a public address"),
        ("https://192.168.0.10/hook", "not a public address"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("https://[::1]/hook", "::1, which is not a public address"),
        ("https://[::ffff:127.0.0.1]/hook", "not a public address"),
        ("https://0.0.0.0/hook", "not a public address"),
        # IPv6 forms that carry a private IPv4 address inside (6to4, NAT64).
        ("https://[2002:a00:1::]/hook", "not a public address"),
        ("https://[64:ff9b::a00:1]/hook", "not a public address"),
        ("http://93.184.215.14/hook", "must start with https://"),
        ("ftp://93.184.215.14/hook", "must start with https://"),
        ("https://user:pw@93.184.215.14/hook", "no user name or password"),
        ("https://93.184.215.14:99999/hook", "port is not a number"),
        ("https:///hook", "no host name"),
        ("https://no-such-host.invalid/hook", "does not resolve"),
    ],
)
def test_refuses_what_is_not_a_public_https_url(settings, url, reason):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeUrl, match=reason.replace(".", r"\.").replace(":", ":")):
        check_url(url)


def test_a_public_address_passes(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    check_url("https://93.184.215.14/hook")
    check_url("https://[2606:4700:4700::1111]:8443/hook")


def test_development_may_use_loopback_over_http(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    check_url("http://127.0.0.1:8001/hook")
    with pytest.raises(UnsafeUrl):
        check_url("ftp://127.0.0.1/hook")
