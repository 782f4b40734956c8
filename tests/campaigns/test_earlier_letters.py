"""An address's earlier letters, which the letter step reads on every send."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.supporters import progress
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_address_costs_one_query(django_assert_num_queries):
    campaign = factories.campaign()
    factories.letter(campaign)  # someone else's
    with django_assert_num_queries(1):
        assert progress.earlier_letters(campaign, "new@example.org") == []


def test_a_returning_address_gets_its_letters_in_this_campaign_oldest_first():
    campaign, other = factories.campaign(), factories.campaign()
    supporter = factories.supporter(campaign, email="back@example.org")
    now = timezone.now()
    later = factories.letter(campaign, supporter=supporter, created_at=now)
    first = factories.letter(campaign, supporter=supporter, created_at=now - timedelta(days=1))
    factories.letter(other, supporter=factories.supporter(other, email="back@example.org"))

    found = progress.earlier_letters(campaign, "back@example.org")
    assert found == [first, later]
    # Whose browser sent them is read with them.
    assert found[0].submission.uuid == first.submission.uuid
