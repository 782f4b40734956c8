"""A release given by address is fetched by a real worker process, not by
the web request: only the worker is allowed to reach the local server."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from campaigns.models import Campaign, ReleaseImport
from campaigns.permissions import ORGANIZERS_GROUP
from tests.support import processes
from tests.support.web_server import WebServer, page

RELEASE = """Harbor Alliance Urges Congress to Pass the Clean Harbors Act

PORTLAND, Maine (March 3, 2025) – The Harbor Alliance today urged Congress to pass H.R. 4521,
the Clean Harbors Act, which would fund the cleanup of 40 polluted ports.
"""


@pytest.fixture
def worker(transactional_db):
    overrides = {"RELEASE_FETCH_ALLOWED_HOSTS": ["127.0.0.1"]}
    with processes.worker(
        broker_url=settings.CELERY_BROKER_URL, pool="solo", settings_overrides=overrides
    ) as running:
        yield running


def test_the_worker_fetches_and_the_waiting_page_leads_to_the_draft(worker, client):
    organizer = User.objects.create_user("olivia")
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    client.force_login(organizer)
    with WebServer({"/release": page(RELEASE, "text/plain")}) as web:
        response = client.post("/organize/new/", {"text": "", "url": web.url("/release")})
        waiting = response["Location"]
        assert client.get(waiting).status_code == 200  # still fetching, or about to
        assert processes.wait_for(lambda: client.get(waiting).status_code == 302, seconds=90), (
            "the worker never drafted the release"
        )
        assert [request["path"] for request in web.requests] == ["/release"]
    campaign = Campaign.objects.get()
    assert client.get(waiting)["Location"] == f"/organize/{campaign.slug}/"
    assert campaign.bills == ["H.R. 4521"]
    assert ReleaseImport.objects.get().status == ReleaseImport.Status.DRAFTED
    assert worker.alive()
