"""LetterTally, kept by triggers, against a count of the letters themselves."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncDate

from campaigns import tallies
from campaigns.models import Letter, LetterTally, Submission, SubmissionTally, Supporter
from tests import factories

pytestmark = pytest.mark.django_db
Status = Letter.Status


def counted():
    """The tallies, without the rows that came down to zero."""
    return {
        (row.campaign_id, row.day, row.status): row.letters
        for row in LetterTally.objects.exclude(letters=0)
    }


def submissions_counted():
    return dict(SubmissionTally.objects.values_list("campaign", "submissions"))


def recount():
    groups = Letter.objects.values("campaign", "status", day=TruncDate("created_at")).annotate(
        letters=Count("*")
    )
    return {(row["campaign"], row["day"], row["status"]): row["letters"] for row in groups}


def test_every_kind_of_write_is_counted():
    campaign = factories.campaign()
    other = factories.campaign()
    batch = factories.letters(5, campaign=campaign)
    factories.letter(campaign=other, status=Status.UNCONFIRMED)
    # A bulk update, a single save, a late evening letter (another local day), a delete.
    Letter.objects.filter(id__in=[item.id for item in batch[:3]]).update(status=Status.SENDING)
    batch[3].status = Status.FAILED
    batch[3].save()
    evening = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    factories.letter(campaign=campaign, created_at=evening, status=Status.DELIVERED)
    Supporter.objects.filter(letters__id=batch[4].id).delete()

    assert counted() == recount()
    assert counted()[(campaign.id, evening.date(), Status.DELIVERED)] == 1
    assert submissions_counted() == {campaign.id: 5, other.id: 1}
    assert tallies.letters_in(campaign) == 5
    assert tallies.letters_in(campaign, [Status.SENDING]) == 3
    assert tallies.letters_in(campaign, exclude=[Status.FAILED]) == 4


def test_a_deleted_campaign_takes_its_tallies(django_capture_on_commit_callbacks):
    campaign = factories.campaign()
    factories.letters(3, campaign=campaign)
    campaign.delete()
    assert not LetterTally.objects.exists()


def test_rebuild_tallies_recounts_what_was_lost(capsys):
    campaign = factories.campaign()
    factories.letters(4, campaign=campaign)
    LetterTally.objects.update(letters=99)
    SubmissionTally.objects.update(submissions=99)
    call_command("rebuild_tallies")
    assert submissions_counted() == {campaign.id: Submission.objects.count()}
    assert (
        counted() == recount() == {(campaign.id, LetterTally.objects.get().day, Status.QUEUED): 4}
    )
    assert "4 letters" in capsys.readouterr().out
