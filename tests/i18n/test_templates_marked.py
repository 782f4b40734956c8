"""Every word a template shows is marked for translation.

Each template under templates/ is split by Django's own Lexer; the text
outside {% translate %} and {% blocktranslate %} (and outside comments) is
put back together, with each tag and variable as a blank, and read as HTML:
any letter left in a text node or in an attribute a person reads (alt,
title, placeholder, aria-label) is a string nobody marked.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
# Not language: the product's name, and the letters of HTML entities that
# the parser turns into characters anyway.
NOT_LANGUAGE = re.compile(r"\bConstituent\b")
# Scripts, styles and code (paths, keys) are not prose.
NOT_READ = {"script", "style", "code"}
LETTER = re.compile(r"[^\W\d_]")
BLANK = "\x00"

OPENS = {"blocktranslate": "endblocktranslate", "comment": "endcomment", "verbatim": None}


def unmarked_source(source):
    """The template with every tag, variable and translated run made a blank."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        name = token.contents.split()[0] if token.contents else ""
        if name in ("blocktranslate", "blocktrans"):
            closing = "end" + name
        elif name == "comment":
            closing = "endcomment"
        elif name == "block" and token.contents.split()[1].endswith("class"):
            # {% block bodyclass %} and the like hold CSS class names.
            closing = "endblock"
        parts.append(BLANK)
    return "".join(parts)


class TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_READ:
            self.skipping += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.check(value)

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.check(value)

    def handle_endtag(self, tag):
        if tag in NOT_READ:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if not self.skipping:
            self.check(data)

    def check(self, text):
        for piece in text.split(BLANK):
            if LETTER.search(NOT_LANGUAGE.sub("", piece)):
                self.found.append(" ".join(piece.split()))


def unmarked_strings(path):
    source = unmarked_source(path.read_text())
    if path.suffix != ".html":
        finder = TextFinder()
        finder.check(source)
        return finder.found
    finder = TextFinder()
    finder.feed(source)
    finder.close()
    return finder.found


TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_string_is_marked_for_translation(path):
    assert unmarked_strings(path) == []


def test_the_check_finds_unmarked_text_and_attributes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<p title="Hover me">{% translate "Fine" %} Left out</p>'
        '<img alt="{{ name }}" src="x.png">{% blocktranslate %}Also fine{% endblocktranslate %}'
        "{% comment %}Notes to ourselves{% endcomment %}<b>Constituent</b> &middot; {{ x }}"
    )
    assert unmarked_strings(page) == ["Hover me", "Left out"]
