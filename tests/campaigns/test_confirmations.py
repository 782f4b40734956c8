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


def test_the_sent_email_names_each_office_and_includes_the_letter(visitor, campaign, vermont):
    campaign.organization_statement = "Harbor Families Coalition represents 40 shelters."
    campaign.save()
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    form["body"] += "\n\nMy own sentence, as sent."
    visitor.post(f"/c/{campaign.slug}/send/", form)
    emails.send_confirmation(Submission.objects.get().id)

    body = mail.outbox[-1].body
    assert "on its way to 3 offices" in body
    assert "  - Senator Sanders (Senator Bernard Sanders, Vermont)" in body
    assert "  - Representative Balint (Representative Becca Balint, " in body
    assert "Subject: Shelter for families" in body
    assert "Please fund shelter for families in Burlington" in body
    assert "My own sentence, as sent." in body
    assert "Harbor Families Coalition represents 40 shelters." in body
