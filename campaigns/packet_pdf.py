"""A hand-delivery packet as a PDF (reportlab): a cover page, then each
letter on a page of its own, so an office counts its constituents by the pages.

Plain data in, bytes out: campaigns/packets.py chooses the letters.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer

STYLES = getSampleStyleSheet()
# The frame's own padding (6 points each side) is not the letter's to use.
FRAME_PADDING = 12


@dataclass(frozen=True)
class Cover:
    campaign: str
    organization: str
    office: str
    seat: str
    constituents: int
    districts: list
    built_on: date


@dataclass(frozen=True)
class Page:
    name: str
    address: list  # lines
    email: str
    written_on: date
    subject: str
    body: str


def render(cover, pages):
    """The packet's PDF bytes: the cover, then one page per letter. A letter
    too long for one page is shrunk onto it rather than spilling over."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=inch,
        bottomMargin=inch,
        title=_("Letters to %(office)s") % {"office": cover.office},
        author=cover.organization or cover.campaign,
    )
    story = _cover(cover)
    for page in pages:
        story.append(PageBreak())
        story.append(
            KeepInFrame(
                document.width - FRAME_PADDING,
                document.height - FRAME_PADDING,
                _letter(page),
                mode="shrink",
            )
        )
    document.build(story)
    return buffer.getvalue()


def _cover(cover):
    districts = ", ".join(cover.districts) or _("not recorded")
    lines = [
        Paragraph(_text(cover.office), STYLES["Title"]),
        Paragraph(_text(cover.seat), STYLES["Heading3"]),
        Spacer(1, 0.3 * inch),
        Paragraph(_text(_("Campaign: %(title)s") % {"title": cover.campaign}), STYLES["Heading2"]),
    ]
    if cover.organization:
        lines.append(
            Paragraph(
                _text(_("From the supporters of %(name)s") % {"name": cover.organization}),
                STYLES["Normal"],
            )
        )
    constituents = ngettext(
        "%(count)d constituent wrote to this office.",
        "%(count)d constituents wrote to this office.",
        cover.constituents,
    ) % {"count": cover.constituents}
    lines += [
        Spacer(1, 0.2 * inch),
        Paragraph(_text(constituents), STYLES["Heading2"]),
        Paragraph(
            _text(_("Their districts: %(districts)s") % {"districts": districts}), STYLES["Normal"]
        ),
        Spacer(1, 0.2 * inch),
        Paragraph(
            _text(
                _("Each following page is one constituent's letter. Printed on %(day)s.")
                % {"day": formats.date_format(cover.built_on, "DATE_FORMAT")}
            ),
            STYLES["Italic"],
        ),
    ]
    return lines


def _letter(page):
    sender = [page.name, *page.address]
    if page.email:
        sender.append(page.email)
    flow = [
        Paragraph(_text(_("From a constituent")), STYLES["Heading4"]),
        Paragraph("<br/>".join(escape(line) for line in sender), STYLES["Normal"]),
        Spacer(1, 0.15 * inch),
        Paragraph(_text(formats.date_format(page.written_on, "DATE_FORMAT")), STYLES["Normal"]),
        Spacer(1, 0.15 * inch),
        Paragraph(_text(_("Subject: %(subject)s") % {"subject": page.subject}), STYLES["Heading3"]),
    ]
    for paragraph in page.body.replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            flow.append(Paragraph(_text(paragraph), STYLES["BodyText"]))
    return flow


def _text(text):
    """Plain text as reportlab's paragraph markup: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in text.strip().split("\n"))
