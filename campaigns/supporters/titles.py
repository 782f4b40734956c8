"""The supporter's title (Mr., Mx., none…) and what each CWC chamber accepts.

The House's CWC schema takes any text as the constituent's <Prefix> but
requires one; the Senate reportedly accepts only five values (see the CWC
notes in the shared data). So a title is optional on our form, and:
- House letters carry the title as chosen, or "Mx." when there is none,
  the one title that says nothing about the writer;
- Senate letters need one of the five, so a campaign that may write to a
  senator offers only those, and says why by the field.
"""

from django.utils.translation import gettext_lazy as _

from campaigns.models import Supporter
from campaigns.supporters.targeting import writes_to
from legislators.models import Chamber

SENATE_TITLES = ("Mr.", "Mrs.", "Miss", "Ms.", "Dr.")
TITLES = ("Mr.", "Mrs.", "Miss", "Ms.", "Mx.", "Dr.")
HOUSE_WITHOUT_TITLE = "Mx."
# What the form shows for each title; the office receives the title itself.
LABELS = dict(Supporter.Prefix.choices)

SENATE_HELP = _("Senators' offices accept only these five titles.")
HOUSE_HELP = _("Optional. Offices in the House need a title: with none, they receive “Mx.”.")
SENATE_NEEDS = _("Choose a title: senators' offices accept only Mr., Mrs., Miss, Ms. or Dr.")


def senate_needs_title(campaign):
    """Whether this campaign's letters may go to a senator, who needs one of the five."""
    return writes_to(campaign, Chamber.SENATE)


def choices(senate):
    """The titles to offer: only those every office of the campaign accepts."""
    if senate:
        return [("", _("Choose…")), *[(title, LABELS[title]) for title in SENATE_TITLES]]
    return [("", _("No title")), *[(title, LABELS[title]) for title in TITLES]]


def help_text(senate):
    return SENATE_HELP if senate else HOUSE_HELP


def problem(title, senate):
    """What is wrong with this title for this campaign, or None."""
    if senate and title not in SENATE_TITLES:
        return SENATE_NEEDS
    return None


def cwc_prefix(title, chamber):
    """The <Prefix> a chamber's CWC receives for the supporter's title."""
    if chamber == Chamber.HOUSE:
        return title or HOUSE_WITHOUT_TITLE
    return title
