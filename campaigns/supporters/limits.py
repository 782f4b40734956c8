"""The limits on sending letters, each with the friendly sentence a
supporter sees when they hit it. (Lookups are limited in legislators.limits.)"""

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from config import throttle
from config.throttle import client_ip

HOUR, DAY = 3600, 86400

TOO_MANY_SENDS = _(
    "We've had a lot of letters from your connection. Please send it again {when}: "
    "your letter is kept below."
)
TOO_MANY_FOR_EMAIL = _(
    "That email address has sent several letters today. Please send it again {when}: "
    "your letter is kept below."
)
CAMPAIGN_FULL = _(
    "This campaign has reached its limit of letters for today. Please come back tomorrow: "
    "your letter matters just as much then."
)


class CampaignFull(Exception):
    """The campaign's daily cap has no room for these letters."""

    message = CAMPAIGN_FULL


def letters_today(campaign):
    """Letters written today, and those posted today that no worker has written yet."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    posted = campaign.postings.filter(
        accepted_at__isnull=True, failed_at__isnull=True, created_at__gte=today
    )
    return campaign.letters.filter(created_at__gte=today).count() + (
        posted.aggregate(letters=Sum("letters"))["letters"] or 0
    )


def make_room(campaign, count):
    """Inside the transaction that writes them: raise CampaignFull unless
    count more letters fit under today's cap.

    The campaign's row stays locked until that transaction ends, so sends
    at the same moment count one after another, never all from the same
    figure; campaigns without a cap take no lock.
    """
    if campaign.daily_letter_cap is None or not count:
        return
    cap = (
        Campaign.objects.select_for_update()
        .values_list("daily_letter_cap", flat=True)
        .get(pk=campaign.pk)
    )
    if cap is not None and letters_today(campaign) + count > cap:
        raise CampaignFull


def send_refusal(request, campaign, email):
    """Why this send may not go ahead, or None. Counts the attempt.

    The cap is checked here to spare a full campaign's supporters the work;
    make_room holds it when sends race.
    """
    cap = campaign.daily_letter_cap
    if cap is not None and letters_today(campaign) >= cap:
        return CAMPAIGN_FULL
    if not throttle.allow("send-ip", client_ip(request), settings.SENDS_PER_IP_PER_HOUR, HOUR):
        return TOO_MANY_SENDS.format(when=throttle.wait_phrase(HOUR))
    if not throttle.allow("send-email", email, settings.SENDS_PER_EMAIL_PER_DAY, DAY):
        return TOO_MANY_FOR_EMAIL.format(when=throttle.wait_phrase(DAY))
    return None
