"""Figures for the statistics pages."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats

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
    if formats.get_format("NUMBER_GROUPING") != 3:
        return floatformat(value, "0g")
    return f"{value:,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))
