import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import responses

from tests.conftest import shared_path

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def no_network():
    """Every HTTP call must be mocked; unmocked ones fail at once, like a
    machine with no internet. The local test server is let through."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        yield mock


@pytest.fixture
def serve():
    """serve(folder) -> base URL of a local HTTP server for that folder."""
    servers = []

    def start(folder):
        handler = partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):
    """The real roster and ZIP table, loaded once per module and removed after."""
    from legislators.importers import read_legislators, read_zip_districts
    from legislators.models import Legislator, ZipDistrict
    from legislators.sync import replace_zip_districts, save_legislators

    roster = shared_path("data", "congress-legislators")
    zccd = shared_path("data", "zip-districts", "zccd.csv")
    with django_db_blocker.unblock():
        save_legislators(read_legislators(roster).rows)
        replace_zip_districts(read_zip_districts(zccd))
    yield
    with django_db_blocker.unblock():
        Legislator.objects.all().delete()
        ZipDistrict.objects.all().delete()
