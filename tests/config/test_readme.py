"""The README lists every environment variable settings.py reads."""

import re

from django.conf import settings


def test_every_environment_variable_is_documented():
    base = settings.BASE_DIR
    source = (base / "config" / "settings.py").read_text()
    names = set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'(?:database|cache|mailer)_from_url\(\s*"([A-Z_]+)"', source))
    readme = (base / "README.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))
    assert names, "found no variables: has settings.py changed how it reads them?"
    assert sorted(names - documented) == []
