"""Figures for the statistics pages."""

import functools

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats, translation

register = template.Library()


@register.filter
def figure(value):
    """A count with its digits grouped as the language groups them
    ("25,000"): what floatformat:"0g" writes for a whole number, without
    its Decimal arithmetic, which was most of the time the dashboard took
    to write its thousands of figures. Anything but an int goes to
    floatformat:"0g"."""
    if type(value) is not int:
        return floatformat(value, "0g")
    grouping, separator = _grouping(translation.get_language())
    if grouping != 3:
        return floatformat(value, "0g")
    return f"{value:,}".replace(",", separator)


@functools.cache
def _grouping(language):
    """A language's digit grouping and separator: looked up once, not per
    figure (get_format was a fifth of the time the page took to render)."""
    with translation.override(language):
        return formats.get_format("NUMBER_GROUPING"), formats.get_format("THOUSAND_SEPARATOR")
