import pytest

from tests.api.conftest import organizer
from tests.campaigns.conftest import campaign, offline_lookup, vermont, visitor  # noqa: F401
from tests.support.webhook_receiver import WebhookReceiver
from webhooks.models import Webhook

SECRET = "whsec_for-tests-only-0123456789"


@pytest.fixture
def local_webhooks(settings, tmp_path):
    """The receiver lives on loopback, which production refuses. Letters
    delivered on the way go to a scratch outbox."""
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_TIMEOUT = 0.5
    settings.WEBHOOK_BACKOFF_BASE = 30.0


@pytest.fixture
def receiver(local_webhooks):
    """receiver(*answers) -> a running WebhookReceiver, stopped after the test."""
    running = []

    def start(*answers, secret=SECRET):
        server = WebhookReceiver(secret, answers).__enter__()
        running.append(server)
        return server

    yield start
    for server in running:
        server.__exit__(None, None, None)


@pytest.fixture
def owner(db):
    user = organizer("olivia")
    user.email = "olivia@example.org"
    user.save()
    return user


def hook_for(owner, url, **fields):
    return Webhook.objects.create(owner=owner, url=url, secret=SECRET, **fields)


def tasks_on_commit(callbacks):
    """The names of the tasks queued with delay_on_commit (partials of a
    task's delay) among the commit callbacks; other callbacks are plain functions."""
    tasks = [getattr(getattr(c, "func", None), "__self__", None) for c in callbacks]
    return sorted(task.name for task in tasks if task is not None)
