"""The figure filter writes what floatformat:"0g" writes, faster."""

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from campaigns.templatetags.figures import figure


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("value", [0, 7, 999, 1234, 25000, -1234567, 10**12, None, "", 2.5, True])
def test_figure_writes_what_floatformat_writes(language, value):
    with translation.override(language):
        assert figure(value) == floatformat(value, "0g")
