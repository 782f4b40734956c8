"""The Spanish catalog: every message translated, placeholders kept, and the
compiled .mo (committed, so a fresh machine needs no GNU gettext) current."""

import re
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w+\}")


def entries():
    return [entry for entry in polib.pofile(str(PO)) if not entry.obsolete]


def test_every_message_has_a_spanish_translation():
    untranslated = [
        entry.msgid
        for entry in entries()
        if "fuzzy" in entry.flags
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        or (not entry.msgid_plural and not entry.msgstr)
    ]
    assert untranslated == []


def test_translations_keep_the_placeholders():
    broken = []
    for entry in entries():
        if entry.msgid_plural:
            wanted = set(PLACEHOLDER.findall(entry.msgid_plural))
            # The singular may leave out the count ("Su carta fue entregada.").
            given = [set(PLACEHOLDER.findall(text)) for text in entry.msgstr_plural.values()]
            if given[-1] != wanted or not given[0] <= wanted:
                broken.append(entry.msgid)
        elif set(PLACEHOLDER.findall(entry.msgid)) != set(PLACEHOLDER.findall(entry.msgstr)):
            broken.append(entry.msgid)
    assert broken == []


def test_the_compiled_catalog_matches_the_po_file():
    """Rebuild with `make translations` after editing the .po."""

    def catalog(source):
        return {
            (entry.msgctxt, entry.msgid): (
                tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            )
            for entry in source
            if not entry.obsolete and entry.msgid
        }

    assert catalog(polib.mofile(str(PO.with_suffix(".mo")))) == catalog(entries())
