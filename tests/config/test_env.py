import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    mailer_from_url,
)


def test_bool_accepts_only_true_and_false(monkeypatch):
    monkeypatch.setenv("FLAG", "True")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "yes")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be True or False, not 'yes'"):
        env_bool("FLAG")


def test_unset_or_blank_gives_the_default(monkeypatch):
    monkeypatch.delenv("NUMBER", raising=False)
    assert env_int("NUMBER", 7) == 7
    monkeypatch.setenv("NUMBER", "  ")
    assert env_int("NUMBER", 7) == 7


def test_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be a whole number"):
        env_int("NUMBER", 1)
    monkeypatch.setenv("NUMBER", "-3")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be at least 0"):
        env_int("NUMBER", 1, minimum=0)


def test_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_database_url_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app:secret@db.internal:5433/constituent")
    config = database_from_url("DATABASE_URL", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "constituent")


def test_database_url_sqlite_gets_a_file_test_database(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_url("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["TEST"]["NAME"] == f"{tmp_path}/db.test.sqlite3"


def test_database_url_rejects_other_engines(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/app")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a postgres"):
        database_from_url("DATABASE_URL", "sqlite:///x")


def test_cache_url(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/3")
    assert cache_from_url("CACHE_URL", "locmem://") == {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }
    monkeypatch.setenv("CACHE_URL", "memcached://x")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a redis"):
        cache_from_url("CACHE_URL", "locmem://")


def test_mailer_url_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://user%40org:p%2Fw@mail.example:587?tls=true")
    mailer = mailer_from_url("EMAIL_URL", "file:///tmp")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"]["host"] == "mail.example"
    assert mailer["OPTIONS"]["port"] == 587
    assert mailer["OPTIONS"]["username"] == "user@org"
    assert mailer["OPTIONS"]["password"] == "p/w"
    assert mailer["OPTIONS"]["use_tls"] is True


def test_mailer_url_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mail.example?tls=maybe")
    with pytest.raises(ImproperlyConfigured, match=r"\?tls= must be true or false"):
        mailer_from_url("EMAIL_URL", "file:///tmp")
    monkeypatch.setenv("EMAIL_URL", "carrier-pigeon://coop")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must be an smtp://"):
        mailer_from_url("EMAIL_URL", "file:///tmp")


def test_mapping(monkeypatch):
    from config.env import env_mapping

    monkeypatch.setenv("OFFICES", "A000001=a@house.test, B000002 = b@senate.test")
    assert env_mapping("OFFICES") == {"A000001": "a@house.test", "B000002": "b@senate.test"}
    monkeypatch.setenv("OFFICES", "A000001")
    with pytest.raises(ImproperlyConfigured, match="OFFICES must be KEY=value pairs"):
        env_mapping("OFFICES")
