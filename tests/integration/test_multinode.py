"""Several machines: two application nodes on separate network hosts, each
running gunicorn, a Celery worker and beat from this checkout; PostgreSQL,
Redis (or RabbitMQ) and a CWC server reached over a bridge; supporters
writing through both nodes from a third host. Mid-run every process on one
node is SIGKILLed and a new node joins. The count is taken at the CWC
server: every letter delivered, each exactly once.

The hosts are network namespaces made by the test (tests/support/netns.py).
The shared PostgreSQL and RabbitMQ of this machine listen on loopback only,
so the test puts a TCP forwarder (socat) on the bridge address in front of
each; Redis and the CWC server are private and listen on the bridge itself.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from contextlib import ExitStack, contextmanager

import pytest
import requests
from django.conf import settings
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from campaigns.models import Letter, Submission
from operations.beat import LEASE
from operations.models import Lease
from tests import factories
from tests.support import netns
from tests.support.cwc_server import API_KEY
from tests.support.processes import free_port, wait_for

SUPPORTERS = 45  # three letters each: both senators and the representative
HOST_NAME = "letters.test"
PORT = 8000
METRICS_TOKEN = "multinode-scraper-token"

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(netns.unavailable()), reason=netns.unavailable() or ""),
    pytest.mark.skipif(shutil.which("socat") is None, reason="socat is not installed"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is missing"),
]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("machines cannot share SQLite: run this suite on PostgreSQL (DATABASE_URL)")
    return connection.settings_dict


@contextmanager
def background(command, **options):
    process = subprocess.Popen(command, start_new_session=True, **options)
    try:
        yield process
    finally:
        if process.poll() is None:
            # The whole group: socat forks a child per connection.
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def forwarder(listen_host, listen_port, to_port):
    """socat from the bridge to a server on loopback."""
    return background(
        ["socat", f"TCP-LISTEN:{listen_port},bind={listen_host},fork,reuseaddr",
         f"TCP:127.0.0.1:{to_port}"],
    )  # fmt: skip


@contextmanager
def rabbitmq_vhost():
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("RabbitMQ is not installed (rabbitmqctl missing)")
    vhost = f"constituent_multinode_{uuid.uuid4().hex[:8]}"
    made = subprocess.run(["rabbitmqctl", "add_vhost", vhost], capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"RabbitMQ is not running here: {made.stderr.strip()[:200]}")
    try:
        subprocess.run(
            ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
        yield vhost
    finally:
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)


class Cluster:
    """The nodes of one run: same checkout, same settings, their own addresses."""

    def __init__(self, network, env, folder):
        self.network = network
        self.env = env
        self.folder = folder
        self.addresses = {}
        self.logs = {}

    def start_node(self, name):
        """Start gunicorn, a worker and beat on a host made with add_host."""
        address = self.network.address_of(name)
        self.addresses[name] = address
        log = self.log(name)
        python = sys.executable
        commands = [
            [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi",
             "--bind", f"{address}:{PORT}", "--workers", "2"],
            [python, "-m", "celery", "-A", "config", "worker", "-Q", "postings,celery,sweeper",
             "--concurrency", "2", "--hostname", f"worker@{name}", "--loglevel", "WARNING"],
            [python, "-m", "celery", "-A", "tests.support.requeue_beat", "beat",
             "--schedule", os.path.join(self.folder, f"{name}-schedule"), "--loglevel", "WARNING"],
        ]  # fmt: skip
        # Each machine has its own /tmp; here they share one, so a folder each.
        env = self.env | {"PROMETHEUS_MULTIPROC_DIR": os.path.join(self.folder, f"{name}-metrics")}
        for command in commands:
            self.network.run(name, command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)
        assert wait_for(lambda: self.answers(address), seconds=60), f"node {name} never answered"
        return address

    def log(self, name):
        self.logs[name] = open(os.path.join(self.folder, f"{name}.log"), "w+")  # noqa: SIM115
        return self.logs[name]

    @staticmethod
    def answers(address):
        try:
            response = requests.get(
                f"http://{address}:{PORT}/healthz",
                headers={"Host": HOST_NAME, "X-Forwarded-Proto": "https"},
                timeout=3,
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def print_logs(self):
        for name, log in self.logs.items():
            log.seek(0)
            print(f"--- node {name} ---\n{log.read()[-4000:]}")
            log.close()


def node_environment(host, database, broker_url, cache_url, cwc_url, folder):
    project = {
        "DEBUG": "False",
        "SECRET_KEY": "multinode-test-key-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": f"{HOST_NAME},{host.rsplit('.', 1)[0]}.*",
        "BEHIND_PROXY": "True",
        "SITE_URL": f"https://{HOST_NAME}",
        "VAR_DIR": folder,
        "DATABASE_URL": f"postgres://{database['USER']}@{host}:{database['PORT']}/{database['NAME']}",
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_VISIBILITY_TIMEOUT": "60",
        "EMAIL_URL": f"file://{folder}/mail",
        "DISTRICT_LOOKUP_BACKENDS": "zipcode",
        "LOOKUPS_PER_IP_PER_HOUR": "0",
        "SENDS_PER_IP_PER_HOUR": "0",
        "SENDS_PER_EMAIL_PER_DAY": "0",
        "DELIVERY_CHANNELS": "cwc",
        # The shortest lease the start-up check allows over a 5 s attempt and
        # Celery's time limits: letters a killed worker held come back sooner.
        "DELIVERY_ATTEMPT_SECONDS": "5",
        "DELIVERY_LEASE_SECONDS": "130",
        # Postings whose acceptance a killed worker held are handed over again
        # this long after (their message comes back only after the broker's
        # visibility timeout, or never if the worker had taken it).
        "DELIVERY_PUBLISH_GRACE_SECONDS": "10",
        "DELIVERY_BACKOFF_BASE": "1",
        "DELIVERY_BACKOFF_MAX": "5",
        "BEAT_LEASE_SECONDS": "5",
        "CWC_HOUSE_URL": cwc_url,
        "CWC_SENATE_URL": cwc_url,
        "CWC_HOUSE_API_KEY": API_KEY,
        "CWC_SENATE_API_KEY": API_KEY,
        "CWC_RATE_PER_SECOND": "0",
        "CWC_SCHEMA_PATH": str(settings.CWC_SCHEMA_PATH),
        "CWC_DELIVERY_AGENT_EMAIL": f"delivery@{HOST_NAME}",
        "LOG_LEVEL": "WARNING",
        "METRICS_TOKEN": METRICS_TOKEN,
    }
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name in ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "LOCAL_DATA_DIR")
    }
    return inherited | project | {"DJANGO_SETTINGS_MODULE": "config.settings"}


def scrape(address):
    response = requests.get(
        f"http://{address}:{PORT}/metrics",
        headers={
            "Host": HOST_NAME,
            "X-Forwarded-Proto": "https",
            "Authorization": f"Bearer {METRICS_TOKEN}",
        },
        timeout=10,
    )
    response.raise_for_status()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def delivered_metric(samples):
    return samples.get(("constituent_letters", (("channel", "cwc"), ("state", "delivered"))))


def sent_letters():
    return Letter.objects.filter(status=Letter.Status.DELIVERED).count()


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_two_nodes_one_killed_every_letter_arrives_once(broker, postgres, cwc_schema):
    campaign = factories.campaign(
        slug="many-machines",
        letter_body=(
            "Dear {legislator_salutation},\n\nPlease fund the public libraries of {city} "
            "and of every town like it this year.\n\n{full_name}"
        ),
    )
    factories.delegation("VT", 0)
    factories.zip_rows(("05401", "VT", 0))

    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        network = netns.Network()
        stack.callback(network.close)
        host = network.address

        redis_port = free_port()
        stack.enter_context(
            background(
                [
                    "redis-server",
                    "--bind",
                    host,
                    "--port",
                    str(redis_port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--protected-mode",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        stack.enter_context(forwarder(host, postgres["PORT"] or 5432, postgres["PORT"] or 5432))
        if broker == "rabbitmq":
            vhost = stack.enter_context(rabbitmq_vhost())
            stack.enter_context(forwarder(host, 5672, 5672))
            broker_url = f"amqp://guest:guest@{host}:5672/{vhost}"
        else:
            broker_url = f"redis://{host}:{redis_port}/1"
        cwc = stack.enter_context(
            background(
                [
                    sys.executable,
                    "-m",
                    "tests.support.cwc_server",
                    "--host",
                    host,
                    "--delay",
                    "2",
                ],
                cwd=settings.BASE_DIR,
                stdout=subprocess.PIPE,
                text=True,
            )
        )
        cwc_url = cwc.stdout.readline().strip()
        assert cwc_url.startswith("http://"), "the CWC server did not start"

        env = node_environment(
            host, postgres, broker_url, f"redis://{host}:{redis_port}/0", cwc_url, folder
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        cluster = Cluster(network, env, folder)
        stack.callback(cluster.print_logs)
        for name in ("a", "b", "c", "load"):
            network.add_host(name)  # c is a machine provisioned, its processes not yet started
        cluster.start_node("a")
        cluster.start_node("b")
        # The worker watcher for /metrics: one per deployment, here on b.
        network.run(
            "b", [sys.executable, "manage.py", "watch_workers"], cwd=settings.BASE_DIR,
            env=env, stdout=cluster.logs["b"], stderr=cluster.logs["b"],
        )  # fmt: skip
        load = network.run(
            "load",
            [sys.executable, "-m", "tests.support.loadgen", "--campaign", campaign.slug,
             "--supporters", str(SUPPORTERS), "--host", HOST_NAME,
             *(f"http://{network.address_of(name)}:{PORT}" for name in "abc")],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=cluster.log("load"),
            text=True,
        )  # fmt: skip

        # Mid-run: node a is lost with everything on it, and node c joins.
        assert wait_for(lambda: sent_letters() >= 10, seconds=180), "nothing was delivered"
        load_running = load.poll() is None
        lost = network.pids("a")
        network.kill_host("a")
        killed_at = sent_letters()
        in_flight = Letter.objects.exclude(status=Letter.Status.DELIVERED).count()
        cluster.start_node("c")

        report = json.loads(load.communicate(timeout=600)[0])
        assert report["errors"] == [], report["errors"]
        assert report["sent"] == SUPPORTERS

        # Every send was answered at once; the workers write its letters.
        letters = SUPPORTERS * 3
        wait_for(lambda: Letter.objects.count() >= letters, seconds=300, interval=1)
        assert Submission.objects.count() == SUPPORTERS
        assert Letter.objects.count() == letters
        wait_for(lambda: sent_letters() == letters, seconds=300, interval=1)
        received = requests.get(f"{cwc_url}/received", timeout=5).json()
        # Any node's /metrics tells the whole story (its figures are cached a few seconds).
        scraped = {}
        assert wait_for(
            lambda: (
                scraped.update(scrape(network.address_of("c")))
                or delivered_metric(scraped) == letters
            ),
            seconds=60,
        ), f"/metrics says {delivered_metric(scraped)} delivered"
        # Heard through Celery's events: b's and c's workers; a's went silent.
        assert scraped[("constituent_workers_alive", ())] == 2
        # One beat scheduled at a time, and after the kill it was not a's.
        holder = Lease.objects.get(name=LEASE).holder
        assert int(holder.split(":")[1]) not in lost, holder

    expected = sorted(Letter.objects.values_list("uuid", flat=True))
    print(
        f"{broker}: {SUPPORTERS} supporters through 2 nodes (+1 after a SIGKILL at "
        f"{killed_at} delivered, {in_flight} not yet, load "
        f"{'still running' if load_running else 'done'}), {report['failovers']} requests failed "
        f"over; {Letter.objects.filter(attempts__gt=1).count()} letters needed a second attempt; "
        f"{len(received['received'])} of {letters} letters received, "
        f"{len(received['received']) - len(set(received['received']))} received twice, "
        f"{len(received['repeats'])} repeats refused with 409"
    )
    assert sent_letters() == letters, "letters were lost"
    assert sorted(received["received"]) == sorted(item.hex for item in expected)
