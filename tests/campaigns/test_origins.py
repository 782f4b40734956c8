"""The sites an organizer lists for embedding: origins, https, no wildcards."""

import pytest
from django.core.exceptions import ValidationError

from campaigns import origins


def test_origins_are_written_as_browsers_write_them():
    text = "https://Partner.org/\nhttps://partner.org:443, http://127.0.0.2:8001 https://a.example:8443"
    assert origins.parse(text) == [
        "https://partner.org",
        "http://127.0.0.2:8001",
        "https://a.example:8443",
    ]
    assert origins.parse("  ") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("*", "wildcards are not allowed"),
        ("https://*.partner.org", "wildcards are not allowed"),
        ("http://partner.org", "must use https"),
        ("https://partner.org/embed", "is not a site's origin"),
        ("https://partner.org?x=1", "is not a site's origin"),
        ("https://user@partner.org", "is not a site's origin"),
        ("partner.org", "is not a site's origin"),
        ("ftp://partner.org", "is not a site's origin"),
        ("https://part_ner.org", "has no valid host name"),
        ("https://partner.org:99999", "is not a site's origin"),
    ],
)
def test_a_bad_origin_is_refused_saying_why(text, message):
    with pytest.raises(ValidationError) as refused:
        origins.parse(text)
    assert message in refused.value.messages[0]


def test_every_mistake_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        origins.parse("* http://partner.org https://fine.example")
    assert len(refused.value.messages) == 2


def test_the_model_refuses_what_the_form_would():
    origins.validate_embed_origins(["https://partner.org"])
    for value in (["*"], "https://partner.org", ["https://Partner.org"], [1]):
        with pytest.raises(ValidationError):
            origins.validate_embed_origins(value)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://partner.org/news/today?x=1", "https://partner.org"),
        ("http://localhost:3000/", "http://localhost:3000"),
        ("http://partner.org/", ""),  # never listable
        ("", ""),
        ("not a url", ""),
    ],
)
def test_the_origin_of_a_referer(url, origin):
    assert origins.origin_of(url) == origin
