"""The production stack on this machine, for the benchmarks: PostgreSQL (our
own database on the shared server), a private redis-server, gunicorn, Celery
workers and the local CWC server, all on 127.0.0.1, all started and stopped
by the benchmark that needs them.

Nothing here is a benchmark; bench/web.py, delivery.py, spike.py and
lookup.py are. Environment:

    BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/constituent_loadbench
                        (created if missing; never a database anyone else uses)
    BENCH_DIR           default /tmp/constituent-bench (logs, mail, static files, results)
    BENCH_SHARED_DIR    default ../shared beside the checkout (the data and seed release)
"""

import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.processes import Redis, free_port, wait_for  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/constituent_loadbench"
)
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/constituent-bench"))
# The reference data and the seed release (a scratch copy of the checkout
# elsewhere sets this to the real ../shared).
SHARED = Path(os.environ.get("BENCH_SHARED_DIR", ROOT.parent / "shared"))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
LUA = Path(__file__).resolve().parent / "lua"
CWC_KEY = "test-key"  # tests.support.cwc_server's
# A browser's, so page views count as visits (bots are not counted).
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def settings_env(redis_url, cwc_url="http://127.0.0.1:9"):
    """The production settings, by environment, for every process of the stack."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.baseline_settings",
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback; no proxy in front
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "LOCAL_DATA_DIR": str(SHARED / "data"),
        "DEMO_RELEASE": str(SHARED / "seed-release.txt"),
        "CELERY_BROKER_URL": redis_url.rsplit("/", 1)[0] + "/0",
        "CACHE_URL": redis_url.rsplit("/", 1)[0] + "/1",
        "VAR_DIR": str(WORK / "var"),
        "BENCH_TEMPLATE_DIR": str(WORK / "templates"),
        "EMAIL_URL": f"file://{WORK / 'mail'}",
        "LOG_LEVEL": "WARNING",
        "DISTRICT_LOOKUP_BACKENDS": "zipcode",  # no network
        # Every request comes from 127.0.0.1: the per-IP limits would stop the
        # benchmark at the tenth letter. The per-email one stays on (each
        # supporter has their own address), so its Redis round trips count.
        "LOOKUPS_PER_IP_PER_HOUR": "0",
        "SENDS_PER_IP_PER_HOUR": "0",
        "DELIVERY_CHANNELS": "cwc",
        "CWC_HOUSE_URL": cwc_url,
        "CWC_SENATE_URL": cwc_url,
        "CWC_HOUSE_API_KEY": CWC_KEY,
        "CWC_SENATE_API_KEY": CWC_KEY,
        "CWC_RATE_PER_SECOND": "0",
        "CWC_DELIVERY_AGENT_EMAIL": "delivery@bench.example.com",
    }


class Stack:
    """Redis and the CWC server, started on enter; Django set up in this
    process against them; gunicorn and workers started on demand."""

    def __init__(self, *, root=ROOT, reset=True):
        self.root = Path(root)
        self.reset = reset
        self.redis = Redis()
        self.processes = []  # (name, Popen), stopped in reverse on exit
        self.cwc_url = None
        self.env = None

    def __enter__(self):
        try:
            return self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _start(self):
        # SIGTERM (timeout, kill) must still stop what this run started.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        for folder in ("logs", "mail", "templates", "var", "results"):
            (WORK / folder).mkdir(parents=True, exist_ok=True)
        self.redis.start()
        os.environ.update(settings_env(self.redis.url))
        self.cwc_url = self._start_cwc()
        # A scratch copy of the checkout (to measure a patch) imports its own
        # code, not the editable install's.
        self.env = os.environ | settings_env(self.redis.url, self.cwc_url)
        self.env["PYTHONPATH"] = str(self.root)
        os.environ.update(self.env)
        os.chdir(self.root)
        import django

        django.setup()
        prepare_database(reset=self.reset)
        return self

    def __exit__(self, *exc_info):
        for _name, process in reversed(self.processes):
            stop(process)
        self.redis.stop()

    def _spawn(self, name, command, *, env=None, root=None):
        log = open(WORK / "logs" / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=root or self.root,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, process))
        return process

    def _start_cwc(self):
        log = open(WORK / "logs" / "cwc.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [PYTHON, "-m", "tests.support.cwc_server"],
            cwd=self.root,
            env=os.environ
            | {"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(self.root)},
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,
        )
        self.processes.append(("cwc", process))
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), "the CWC server did not start (see logs/cwc.log)"
        return url

    def cwc_received(self):
        import requests

        return requests.get(f"{self.cwc_url}/received", timeout=30).json()

    def gunicorn(self, *, workers=4, extra=(), name="gunicorn", root=None):
        """gunicorn as the Procfile runs it (WEB_CONCURRENCY=4 sync workers);
        root: another checkout to serve (a patched copy), same database."""
        port = free_port()
        env = self.env | {"PYTHONPATH": str(root)} if root else None
        process = self._spawn(
            name,
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--backlog", "2048", *extra],
            env=env,
            root=root,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        if not wait_for(lambda: _answers(f"{url}/healthz"), seconds=60):
            raise RuntimeError(f"gunicorn did not start; see {WORK / 'logs' / name}.log")
        return url, process

    def worker(self, *, concurrency=2, extra=(), name="worker"):
        """`celery -A config worker` as the Procfile runs it (its concurrency
        defaults to the number of cores: 2 here)."""
        process = self._spawn(
            name,
            [str(BIN / "celery"), "-A", "config", "worker", "-Q", "postings,celery,sweeper",
             "--loglevel=INFO", f"--concurrency={concurrency}", *extra],
        )  # fmt: skip
        log = WORK / "logs" / f"{name}.log"
        # Asked, not read from its log: at LOG_LEVEL=WARNING it never says "ready."
        if not wait_for(_worker_answers, seconds=60):
            raise RuntimeError(f"the worker did not start; see {log}")
        return process

    def session_engine(self, root):
        """SESSION_ENGINE as the checkout at root configures it."""
        code = "import django; django.setup(); from django.conf import settings; "
        code += "print(settings.SESSION_ENGINE)"
        env = self.env | {"PYTHONPATH": str(root)}
        out = subprocess.run(
            [PYTHON, "-c", code], cwd=root, env=env, capture_output=True, text=True
        )
        return out.stdout.strip().splitlines()[-1]

    def stop(self, process):
        stop(process)
        self.processes = [(n, p) for n, p in self.processes if p is not process]


def stop(process):
    """SIGTERM to the process group we started, then SIGKILL after 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _worker_answers():
    from config.celery import app

    return bool(app.control.ping(timeout=1))


def _answers(url):
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def create_database():
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if name in ("constituent", "test_constituent", "postgres"):
        sys.exit(f"BENCH_DATABASE_URL names {name!r}, which others use; pick your own.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_database(*, reset):
    """Schema, the real roster and ZIP table, static files, the campaign; with
    reset, no supporters, letters, events or sessions left from an earlier run."""
    from django.core.management import call_command
    from django.db import connection

    create_database()
    call_command("migrate", verbosity=0, interactive=False)
    from legislators.models import Legislator, ZipDistrict

    if not Legislator.objects.exists():
        call_command("import_legislators", verbosity=0)
    if not ZipDistrict.objects.exists():
        call_command("import_zip_districts", verbosity=0)
    enrol_every_office()
    if not (WORK / "var" / "static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    if reset:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE campaigns_letter, campaigns_submission, campaigns_supporter,"
                " campaigns_event, django_session"
                + "".join(
                    f", {table}"
                    for table in (
                        "campaigns_lettertally",
                        "campaigns_visittally",
                        "campaigns_posting",
                    )
                    if table in connection.introspection.table_names()
                )
                # And what refers to them (follow-ups, webhook deliveries...).
                + " CASCADE"
            )
        # The rollups the truncated letters left (a TRUNCATE fires no trigger).
        call_command("rebuild_tallies", stdout=io.StringIO())
    bench_campaign()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def enrol_every_office():
    """Every current member's office on its chamber's CWC list, unless a
    directory is there already (bench/routes.py writes its own): without
    one, offices.routes finds no route and every letter ends NO_ROUTE."""
    from legislators.models import Chamber, Legislator
    from offices import directory
    from offices.models import Office

    if Office.objects.filter(enrolled=True).exists():
        return
    for chamber, prefix in ((Chamber.HOUSE, "H"), (Chamber.SENATE, "S")):
        members = Legislator.objects.filter(chamber=chamber, in_office=True)
        seats = {(m.state, m.senate_class if prefix == "S" else m.district or 0) for m in members}
        directory.apply_list(chamber, [f"{prefix}{state}{seat:02d}" for state, seat in seats])


def bench_campaign():
    """The seed release's campaign, as `make demo` publishes it."""
    from django.conf import settings

    from campaigns.drafting import authoring
    from campaigns.models import Campaign

    text = settings.DEMO_RELEASE.read_text(encoding="utf-8")
    campaign = Campaign.objects.filter(release_text=text).first()
    if campaign is None:
        campaign = authoring.create_draft(text=text)
        authoring.publish(campaign)
    return campaign


# ---------------------------------------------------------------- supporters


def lookup_states(count=200):
    """Session states after a successful lookup (progress.remember, the
    view's own code) for `count` single-district ZIPs across the country,
    each writing to two senators and one representative."""
    from django.db.models import Count

    from campaigns.supporters import progress
    from legislators.lookup import Status, find_representation
    from legislators.models import ZipDistrict

    rows = list(
        ZipDistrict.objects.values("zcta", "state")
        .annotate(n=Count("id"))
        .filter(n=1)
        .order_by("zcta")
    )
    step = max(1, len(rows) // (count * 2))
    campaign = bench_campaign()
    states = []
    for row in rows[::step]:
        supporter = {
            "prefix": "Ms.", "first_name": "Ada", "last_name": "Bench", "email": "",
            "street": "100 Main St", "city": "Springfield", "state": row["state"],
            "zip_code": row["zcta"], "phone": "", "website": "",
        }  # fmt: skip
        found = find_representation(
            street=supporter["street"], city=supporter["city"],
            state=supporter["state"], zip_code=supporter["zip_code"],
        )  # fmt: skip
        if found.status != Status.OK or len(found.legislators) != 3:
            continue
        state = {}
        assert progress.remember(state, supporter, found, campaign) is None
        states.append(state)
        if len(states) == count:
            break
    return states


def craft_sessions(campaign, count, tag, templates, engine_name=None):
    """`count` sessions that have just completed the lookup, each for a new
    supporter (their own email), written straight to the session store (the
    table, or the cache when SESSION_ENGINE says so). Returns their keys."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.backends import cached_db, db
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    engine_name = engine_name or settings.SESSION_ENGINE
    engine = import_module(engine_name)
    store = engine.SessionStore()
    name = f"campaign:{campaign.uuid.hex}"
    sessions = {}
    for i in range(count):
        state = json.loads(json.dumps(templates[i % len(templates)]))
        state["supporter"]["email"] = f"bench-{tag}-{i}@example.com"
        sessions[get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")] = {name: state}
    if issubclass(engine.SessionStore, db.SessionStore):
        expire = timezone.now() + timedelta(days=1)
        rows = [
            Session(session_key=key, session_data=store.encode(data), expire_date=expire)
            for key, data in sessions.items()
        ]
        Session.objects.bulk_create(rows, batch_size=2000)
        if issubclass(engine.SessionStore, cached_db.SessionStore):
            # As the lookup's save leaves them: in the table and in the cache.
            caches[settings.SESSION_CACHE_ALIAS].set_many(
                {store.cache_key_prefix + key: data for key, data in sessions.items()},
                timeout=86400,
            )
    elif engine_name.endswith(".cache"):
        cache = caches[settings.SESSION_CACHE_ALIAS]
        cache.set_many(
            {engine.KEY_PREFIX + key: data for key, data in sessions.items()}, timeout=86400
        )
    else:
        sys.exit(f"bench: cannot craft sessions for {engine_name}")
    return list(sessions)


def letter_step(campaign, state):
    """progress.letter_step for a browser that has sent nothing yet."""
    import inspect

    from campaigns.supporters import progress

    # Older checkouts (--compare) took no third argument, what the browser sent.
    if len(inspect.signature(progress.letter_step).parameters) == 3:
        return progress.letter_step(campaign, state, {})
    return progress.letter_step(campaign, state)


def write_lines(name, lines):
    path = WORK / name
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


# ---------------------------------------------------------------- load


def wrk(url, *, script, seconds, connections=16, threads=2, env=None, until=None):
    """Run wrk; its Lua done() prints one JSON line, returned as a dict.

    until: polled twice a second; once true, wrk is interrupted (SIGINT, on
    which it reports as if its time were up). The spike uses it to stop when
    every supporter has sent.
    """
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(LUA / script), url,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | (env or {}),
    )
    deadline = time.monotonic() + seconds + 60
    while until is not None and process.poll() is None and time.monotonic() < deadline:
        if until():
            process.send_signal(signal.SIGINT)
            break
        time.sleep(0.5)
    try:
        stdout, stderr = process.communicate(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    for line in stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"wrk printed no summary:\n{stdout}\n{stderr}")


def spread(values):
    """Median and the spread (min to max) of repeated measurements."""
    values = list(values)
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "values": values,
    }


def machine():
    """Hardware and versions, for every results file."""
    import celery
    import django
    import gunicorn
    import psycopg
    from django.db import connection

    model = ""
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    redis_version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True
    ).stdout
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(memory, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.__version__,
        "celery": celery.__version__,
        "gunicorn": gunicorn.__version__,
        "psycopg": psycopg.__version__,
        "postgresql": postgres,
        "redis": (re.search(r"v=(\S+)", redis_version) or [None, "?"])[1],
        "wrk": wrk_version.split()[1] if wrk_version else "?",
        "loadavg_at_start": os.getloadavg(),
    }


def save(name, data):
    path = WORK / "results" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    print(f"results: {path}")
    return path


@contextmanager
def timer():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def new_key():
    return uuid.uuid4().hex


def which(program):
    if shutil.which(program) is None:
        sys.exit(f"{program} is not installed (apt-get install -y {program}).")
