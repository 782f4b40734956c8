"""Constituent's one settings file.

Every deployment setting comes from the environment (see README.md for the
list). Left unset, they give the embedded defaults: SQLite and a filesystem
Celery broker under var/, a local-memory cache, and the outbox delivery
backend, so one command runs the whole thing on a laptop.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import logs
from config.env import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_mapping,
    env_str,
    mailer_from_url,
)
from config.windows import env_windows

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
# The embedded database, broker, outbox and mail folders all live here.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False.")
    SECRET_KEY = "development-only-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in emails and share buttons point here.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Constituent")
# Official data (legislators, ZIP table, district shapes) is downloaded by
# default; a local copy of the same files is used instead when this exists.
LOCAL_DATA_DIR = Path(env_str("LOCAL_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))

# Drafting campaigns with a language model: any OpenAI-compatible
# /v1/chat/completions URL. Off (the rule-based draft) when empty.
DRAFTING_LLM_URL = env_str("DRAFTING_LLM_URL")
DRAFTING_LLM_KEY = env_str("DRAFTING_LLM_KEY")
DRAFTING_LLM_MODEL = env_str("DRAFTING_LLM_MODEL")
# Host names a release may be fetched from even though they resolve to a
# private or loopback address, or on another port (tests, development).
RELEASE_FETCH_ALLOWED_HOSTS = env_list("RELEASE_FETCH_ALLOWED_HOSTS")
# Each fetch holds a worker up to 30 s and reaches out to the web for us.
RELEASE_FETCHES_PER_HOUR = env_int("RELEASE_FETCHES_PER_HOUR", 20, minimum=0)

# The press release `make demo` turns into its campaign.
DEMO_RELEASE = Path(env_str("DEMO_RELEASE", str(BASE_DIR.parent / "shared" / "seed-release.txt")))

# Who represents whom. Sources are a URL, folder or file; unset, the
# LOCAL_DATA_DIR copy when present, else the official URL.
LEGISLATORS_SOURCE = env_str("LEGISLATORS_SOURCE")
ZIP_DISTRICTS_SOURCE = env_str("ZIP_DISTRICTS_SOURCE")
GEOCODIO_API_KEY = env_str("GEOCODIO_API_KEY")
DISTRICT_LOOKUP_BACKENDS = env_list(
    "DISTRICT_LOOKUP_BACKENDS",
    ["census", *(["geocodio"] if GEOCODIO_API_KEY else []), "zipcode", "shapes"],
)
DISTRICT_LOOKUP_TIMEOUT = env_float("DISTRICT_LOOKUP_TIMEOUT", 8.0, minimum=1.0)
DISTRICT_LOOKUP_CACHE_SECONDS = env_int("DISTRICT_LOOKUP_CACHE_SECONDS", 7 * 24 * 3600, minimum=0)
DISTRICT_SHAPES_PATH = Path(
    env_str("DISTRICT_SHAPES_PATH", str(LOCAL_DATA_DIR / "districts" / "cd119_20m.geojson"))
)
LEGISLATOR_PHOTO_URL = env_str(
    "LEGISLATOR_PHOTO_URL", "https://unitedstates.github.io/images/congress/225x275/{bioguide}.jpg"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "legislators",
    "campaigns",
    "committees",
    "api",
    "webhooks",
    "twofactor",
    "operations",
    "offices",
]

MIDDLEWARE = [
    # First, so its request id, timing and count cover everything after it.
    "operations.middleware.RequestObserver",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it may read one), before CommonMiddleware (as Django asks).
    "django.middleware.locale.LocaleMiddleware",
    "config.language.LanguageFromLink",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": database_from_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve the statistics on PostgreSQL; SQLite, the
# embedded default, builds the same indexes without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": cache_from_url("CACHE_URL", "locmem://")}
# Sessions are rows in the database, so a Redis restart logs nobody out and
# loses no thank-you page; with a shared cache (Redis in production) they are
# read from it too. Not with the per-process local-memory cache, whose copy
# would go stale when another process changed the session. config/sessions.py
# saves a changed session in one statement.
SESSION_ENGINE = (
    "config.sessions"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# Two-factor sign-in (TOTP with recovery codes): always for staff unless
# turned off; for organizers when TWO_FACTOR_FOR_ORGANIZERS is on; and for
# anyone who chose to enrol.
TWO_FACTOR_FOR_STAFF = env_bool("TWO_FACTOR_FOR_STAFF", True)
TWO_FACTOR_FOR_ORGANIZERS = env_bool("TWO_FACTOR_FOR_ORGANIZERS", False)
OTP_TOTP_ISSUER = SITE_NAME

# Pages and supporters' emails in English or Spanish: the language cookie (set
# by the switcher's ?lang= links), else the browser's Accept-Language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 86400
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Bootstrap comes from the npm registry (package.json), served from
# node_modules rather than copied into the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
# Organizers' uploads (campaign images, logos), through the storage API: on
# the filesystem by default, served by campaigns.views.media under MEDIA_URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: the embedded default writes each message to a file beside the
# outbox's letters, so nothing leaves the machine until SMTP is configured.
MAILERS = {"default": mailer_from_url("EMAIL_URL", f"file://{VAR_DIR / 'outbox' / 'mail'}")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Pages carry a strict CSP: scripts only from us, with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env_list("CSP_IMG_HOSTS", ["https://unitedstates.github.io"])],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# An embedded campaign's forms carry the supporter's progress in a signed
# token instead of a session (see campaigns/supporters/frames.py); it lasts this long.
EMBED_FLOW_SECONDS = env_int("EMBED_FLOW_SECONDS", 2 * 3600, minimum=60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Abuse limits, counted in the shared cache (0 turns one off).
LOOKUPS_PER_IP_PER_HOUR = env_int("LOOKUPS_PER_IP_PER_HOUR", 30, minimum=0)
SENDS_PER_IP_PER_HOUR = env_int("SENDS_PER_IP_PER_HOUR", 10, minimum=0)
SENDS_PER_EMAIL_PER_DAY = env_int("SENDS_PER_EMAIL_PER_DAY", 5, minimum=0)
# Failed sign-ins (organizer login and admin) per account and per client
# address within one window; past either, sign-in waits for the next window.
SIGNIN_FAILURES_PER_ACCOUNT = env_int("SIGNIN_FAILURES_PER_ACCOUNT", 5, minimum=0)
SIGNIN_FAILURES_PER_IP = env_int("SIGNIN_FAILURES_PER_IP", 20, minimum=0)
SIGNIN_WINDOW_SECONDS = env_int("SIGNIN_WINDOW_SECONDS", 900, minimum=60)
# The staff dashboard reuses its numbers this long (the page says how old).
STATS_CACHE_SECONDS = env_int("STATS_CACHE_SECONDS", 60, minimum=0)
# Street addresses and phones are erased this many days after a supporter's
# last letter finished (0 keeps them); see campaigns/privacy.py.
ADDRESS_RETENTION_DAYS = env_int("ADDRESS_RETENTION_DAYS", 30, minimum=0)
# Weeks after a letter's delivery its supporter is asked whether the office
# replied (0: never), and days the answer links work; see campaigns/followups.py.
FOLLOW_UP_WEEKS = env_int("FOLLOW_UP_WEEKS", 3, minimum=0)
FOLLOW_UP_LINK_DAYS = env_int("FOLLOW_UP_LINK_DAYS", 30, minimum=1)

# Requests to the JSON API per token per minute (0: no limit).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120, minimum=0)
# Webhooks: each attempt's read timeout, how many attempts per event (with
# backoff doubling from the base), and how many failures in a row turn a
# webhook off. Private and loopback URLs (and plain http) only for development.
WEBHOOK_TIMEOUT = env_float("WEBHOOK_TIMEOUT", 10.0, minimum=1.0)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
WEBHOOK_BACKOFF_BASE = env_float("WEBHOOK_BACKOFF_BASE", 30.0)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 20, minimum=1)
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", False)

BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only true behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Delivery: the channels tried in order for each letter (outbox, email, cwc).
# The outbox writes each message to a folder: the embedded default.
DELIVERY_CHANNELS = env_list("DELIVERY_CHANNELS", ["outbox"])
OUTBOX_DIR = Path(env_str("OUTBOX_DIR", str(VAR_DIR / "outbox")))
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 8, minimum=1)
DELIVERY_BACKOFF_BASE = env_float("DELIVERY_BACKOFF_BASE", 30.0)
DELIVERY_BACKOFF_MAX = env_float("DELIVERY_BACKOFF_MAX", 3600.0)
DELIVERY_LEASE_SECONDS = env_int("DELIVERY_LEASE_SECONDS", 600, minimum=60)
# Every delivery attempt ends: the HTTP exchange is cut at DELIVERY_ATTEMPT_SECONDS
# however slowly an answer drips, Celery's soft time limit stops the task a minute
# later (waiting for a send slot, recording the result), its hard limit kills the
# process another minute on. Beat requeues a letter SENDING longer than the lease,
# so the lease must outlast all of that: a letter requeued while its attempt may
# still be in flight could reach the office twice at once.
DELIVERY_ATTEMPT_SECONDS = env_float("DELIVERY_ATTEMPT_SECONDS", 60.0, minimum=1.0)
DELIVERY_SOFT_TIME_LIMIT = DELIVERY_ATTEMPT_SECONDS + 60
DELIVERY_HARD_TIME_LIMIT = DELIVERY_SOFT_TIME_LIMIT + 60
if DELIVERY_LEASE_SECONDS <= DELIVERY_HARD_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"DELIVERY_LEASE_SECONDS ({DELIVERY_LEASE_SECONDS}) must be longer than the longest "
        f"a delivery attempt can last ({DELIVERY_HARD_TIME_LIMIT:g} s: DELIVERY_ATTEMPT_SECONDS "
        "plus 120 s for Celery's time limits), or a letter could be sent twice at once."
    )
# Letters handed to the broker in one message and delivered by one task
# (campaigns.delivery.batch): one claim, one read and one write per outcome for
# all of them. Larger batches cost fewer round trips, and leave fewer letters
# for a second worker process to take in parallel.
DELIVERY_BATCH_SIZE = env_int("DELIVERY_BATCH_SIZE", 20, minimum=1)
# Postings accepted by one task (campaigns.supporters.acceptance): its own and
# others waiting, in one transaction, their reads and hand-overs shared. Larger
# batches cost fewer round trips a posting; a posting's letters appear when its
# batch commits.
DELIVERY_ACCEPT_BATCH_SIZE = env_int("DELIVERY_ACCEPT_BATCH_SIZE", 10, minimum=1)
# A letter or confirmation email committed this long ago that never reached
# the broker (it was down) is handed over by beat's minute sweep.
DELIVERY_PUBLISH_GRACE_SECONDS = env_int("DELIVERY_PUBLISH_GRACE_SECONDS", 120, minimum=0)
DELIVERY_MAILER = env_str("DELIVERY_MAILER", "default")
# Offices that take letters by email: BIOGUIDE=address, comma-separated.
DELIVERY_OFFICE_EMAILS = env_mapping("DELIVERY_OFFICE_EMAILS")
CURRENT_CONGRESS = env_int("CURRENT_CONGRESS", 119, minimum=1)
# The chambers' published CWC office lists (a URL or a file), read weekly
# by beat and by import_offices; unset, that chamber's list is not refreshed.
CWC_HOUSE_OFFICES_SOURCE = env_str("CWC_HOUSE_OFFICES_SOURCE")
CWC_SENATE_OFFICES_SOURCE = env_str("CWC_SENATE_OFFICES_SOURCE")
CWC_HOUSE_URL = env_str("CWC_HOUSE_URL")
CWC_HOUSE_API_KEY = env_str("CWC_HOUSE_API_KEY")
CWC_SENATE_URL = env_str("CWC_SENATE_URL")
CWC_SENATE_API_KEY = env_str("CWC_SENATE_API_KEY")
CWC_RATE_PER_SECOND = env_int("CWC_RATE_PER_SECOND", 5, minimum=0)
CWC_TIMEOUT = env_float("CWC_TIMEOUT", 30.0, minimum=1.0)
# Maintenance windows per endpoint, when nothing is sent to it: letters wait,
# without spending an attempt, until the window ends (config/windows.py reads
# them). The CWC defaults are the windows known to us, UNCONFIRMED (README).
KNOWN_CWC_MAINTENANCE = "Sat 22:00-Sun 06:00 America/New_York"
DELIVERY_MAINTENANCE = {
    "cwc-house": env_windows("CWC_HOUSE_MAINTENANCE", KNOWN_CWC_MAINTENANCE),
    "cwc-senate": env_windows("CWC_SENATE_MAINTENANCE", KNOWN_CWC_MAINTENANCE),
    "smtp": env_windows("SMTP_MAINTENANCE", "none"),
}
# CWC's RELAX NG schema, read in place: every CWC message is checked against it.
CWC_SCHEMA_PATH = Path(
    env_str("CWC_SCHEMA_PATH", str(LOCAL_DATA_DIR / "cwc" / "cwc_schema_v2.rng"))
)
# Must match the CWC API registration; the defaults are placeholders for the demo.
CWC_DELIVERY_AGENT = env_str("CWC_DELIVERY_AGENT", SITE_NAME)
CWC_DELIVERY_AGENT_CONTACT = env_str("CWC_DELIVERY_AGENT_CONTACT", "Delivery contact")
CWC_DELIVERY_AGENT_EMAIL = env_str("CWC_DELIVERY_AGENT_EMAIL", "delivery@example.org")
CWC_DELIVERY_AGENT_PHONE = env_str("CWC_DELIVERY_AGENT_PHONE", "202-555-0100")
if "cwc" in DELIVERY_CHANNELS and not DEBUG and CWC_DELIVERY_AGENT_EMAIL.endswith("@example.org"):
    raise ImproperlyConfigured(
        "CWC_DELIVERY_AGENT_EMAIL (and the other CWC_DELIVERY_AGENT_* settings) must name "
        "the organization registered for CWC before DELIVERY_CHANNELS may include cwc."
    )
if "cwc" in DELIVERY_CHANNELS and not CWC_SCHEMA_PATH.is_file():
    raise ImproperlyConfigured(
        f"CWC_SCHEMA_PATH names {CWC_SCHEMA_PATH}, which does not exist: DELIVERY_CHANNELS may "
        "include cwc only with CWC's schema to check messages against."
    )

# Celery. Only ids travel through the broker; tasks are small and idempotent.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_folder = VAR_DIR / "broker"
    _broker_folder.mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_folder),
        "data_folder_out": str(_broker_folder),
        "control_folder": str(_broker_folder / "control"),
        "store_processed": False,
        # The default 1 s poll would hold the demo to a couple of letters a second.
        "polling_interval": 0.1,
    }
else:
    # Redis re-delivers an unacknowledged task after visibility_timeout; it
    # must outlast the longest retry countdown or a waiting retry runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 7200, minimum=60)
    }
if CELERY_BROKER_URL.startswith(("amqp://", "amqps://", "pyamqp://")):
    # RabbitMQ: replicated quorum queues, and a task counts as sent only once
    # the broker confirms it has it.
    CELERY_TASK_DEFAULT_QUEUE_TYPE = "quorum"
    # Retries wait in RabbitMQ (native delayed delivery), which needs a topic
    # exchange, instead of in a worker's memory.
    CELERY_TASK_DEFAULT_EXCHANGE_TYPE = "topic"
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How many tasks a worker's database connection may serve before Celery closes
# it regardless; until then config.celery closes it only when it errored or is
# older than CONN_MAX_AGE (SQLite's is 0: closed after every task, as before).
CELERY_DB_REUSE_MAX = 1000
# The sweeper's tasks have a queue of their own, so a backlog of letters never
# holds up the task that rescues them; so does a send's acceptance, so the
# thank-you page never waits behind one: run workers with
# -Q postings,celery,sweeper (they take from each queue in turn).
CELERY_TASK_ROUTES = {
    "campaigns.tasks.accept_posting": {"queue": "postings"},
    "campaigns.tasks.requeue_stuck": {"queue": "sweeper"},
    "campaigns.tasks.publish_pending": {"queue": "sweeper"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Any number of beat processes may run; one holds a lease in the database and
# schedules, the others stand by and take over when it lapses (operations/beat.py).
CELERY_BEAT_SCHEDULER = "operations.beat:LeasedScheduler"
BEAT_LEASE_SECONDS = env_int("BEAT_LEASE_SECONDS", 60, minimum=2)

# /metrics answers a bearer token, or these addresses (Prometheus scraping each node).
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])

# Errors go to Sentry when a DSN is set, with personal data scrubbed (config/errors.py).
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
if SENTRY_DSN:
    from config import errors

    errors.start(SENTRY_DSN, SENTRY_ENVIRONMENT)

# JSON lines in production, each with the request id that caused it.
LOGGING = logs.configuration(
    level=env_str("LOG_LEVEL", "INFO"),
    style=env_choice("LOG_FORMAT", "text" if DEBUG else "json", ["json", "text"]),
)
# Workers report each task's start and end; `manage.py watch_workers` turns
# these and the workers' heartbeats into the worker figures of /metrics. Not
# on the filesystem broker: it has no fanout, and event files slow it down.
CELERY_WORKER_SEND_TASK_EVENTS = env_bool(
    "CELERY_WORKER_SEND_TASK_EVENTS", not CELERY_BROKER_URL.startswith("filesystem://")
)
