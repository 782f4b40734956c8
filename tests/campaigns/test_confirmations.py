import pytest
from django.core import mail, signing

from campaigns import emails
from campaigns.models import Submission
from tests.campaigns.conftest import letter_form, look_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def test_the_sent_email_lists_every_office(visitor, campaign, vermont):
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    emails.send_confirmation(Submission.objects.get().id)

    message = mail.outbox[-1]
    assert message.to == ["maya@example.org"]
    assert message.subject == "Your letters are on their way: Shelter now"
    for office in ("Senator Sanders", "Senator Welch", "Representative Balint"):
        assert f"  - {office}" in message.body
    assert "http://localhost:8000/c/shelter-now/" in message.body


def test_tokens_belong_to_one_campaign(visitor, campaign, vermont):
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    submission = Submission.objects.get()
    token = emails.confirmation_token(submission)
    assert emails.submission_for_token(token, campaign) == submission

    other = type(campaign).objects.create(
        slug="other", title="Other", letter_subject="Other subject", letter_body="x"
    )
    with pytest.raises(signing.BadSignature):
        emails.submission_for_token(token, other)
    with pytest.raises(signing.BadSignature):
        emails.submission_for_token(token[:-2] + "xx", campaign)
