import pytest

from campaigns import tasks
from config.celery import app
from tests.support.cwc_server import API_KEY, CwcServer
from tests.support.smtp import Mailbox


@pytest.fixture(autouse=True)
def no_maintenance(settings):
    """No endpoint in maintenance, whatever day the tests run; tests of the
    windows set their own."""
    settings.DELIVERY_MAINTENANCE = {}


@pytest.fixture(autouse=True)
def outbox_dir(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path / "outbox"
    return settings.OUTBOX_DIR


@pytest.fixture
def cwc_server(settings):
    """An in-process CWC server both chambers point at; CWC is the only channel."""
    with CwcServer() as server:
        settings.DELIVERY_CHANNELS = ["cwc"]
        settings.CWC_HOUSE_URL = settings.CWC_SENATE_URL = server.url
        settings.CWC_HOUSE_API_KEY = settings.CWC_SENATE_API_KEY = API_KEY
        settings.CWC_RATE_PER_SECOND = 0
        settings.CWC_TIMEOUT = 5
        yield server


@pytest.fixture
def mailbox(settings):
    """A real SMTP server that every mailer sends to."""
    with Mailbox() as box:
        settings.MAILERS = {"default": box.mailer}
        yield box


@pytest.fixture
def enqueued(monkeypatch):
    """What went to the broker, as (task, its argument); nothing really goes."""
    sent = []

    def send_task(name, args=(), **options):
        sent.append((name.rsplit(".", 1)[1], *args))

    monkeypatch.setattr(app, "send_task", send_task)
    monkeypatch.setattr(
        tasks.tell_supporter, "delay", lambda letter_id: sent.append(("tell_supporter", letter_id))
    )
    return sent
