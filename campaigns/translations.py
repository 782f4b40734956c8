"""A campaign's text in the language a supporter reads.

The page's own words come from the message catalogs; the organizer's words
(title, summary, letter…) from the CampaignTranslation they wrote, field by
field, falling back to the campaign's own.
"""

import copy

from campaigns.models import CampaignTranslation, Language

FIELDS = (
    "title",
    "summary",
    "call_to_action",
    "thank_you_text",
    "share_text",
    "image_alt",
    "letter_subject",
    "letter_body",
)


def other_language(campaign):
    """The language an organizer translates this campaign into."""
    return Language.SPANISH if campaign.language == Language.ENGLISH else Language.ENGLISH


def in_language(campaign, language):
    """An unsaved copy of the campaign with its texts in `language` where the
    organizer gave them; the campaign itself when there is nothing to change."""
    if language == campaign.language:
        return campaign
    translation = CampaignTranslation.objects.filter(campaign=campaign, language=language).first()
    if translation is None:
        return campaign
    shown = copy.copy(campaign)
    for field in FIELDS:
        if value := getattr(translation, field):
            setattr(shown, field, value)
    if not (translation.letter_subject and translation.letter_body):
        # Half a letter would mix languages: both parts or the campaign's.
        shown.letter_subject, shown.letter_body = campaign.letter_subject, campaign.letter_body
    return shown


def save_translation(campaign, texts):
    """Keep the organizer's translation (a dict of FIELDS); none when all are empty."""
    language = other_language(campaign)
    # A campaign whose own language changed keeps no translation into it.
    CampaignTranslation.objects.filter(campaign=campaign, language=campaign.language).delete()
    if not any(texts.get(field) for field in FIELDS):
        CampaignTranslation.objects.filter(campaign=campaign, language=language).delete()
        return None
    translation, _ = CampaignTranslation.objects.update_or_create(
        campaign=campaign, language=language, defaults={f: texts.get(f, "") for f in FIELDS}
    )
    return translation
