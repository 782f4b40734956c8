import pytest
from celery.exceptions import Retry

from legislators import tasks
from legislators.importers import SourceError
from legislators.models import Legislator, ZipDistrict
from tests.legislators.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def test_refreshes_both_tables_from_urls(settings, serve):
    base = serve(FIXTURES)
    settings.LEGISLATORS_SOURCE = f"{base}/legislators-current.yaml"
    settings.ZIP_DISTRICTS_SOURCE = f"{base}/zccd.csv"
    done = tasks.refresh_data.apply().get()
    assert done["legislators"]["created"] == 5
    assert done["zip_districts"] == 8
    assert Legislator.objects.get(bioguide_id="X000001").twitter == "SenExample"
    assert ZipDistrict.objects.count() == 8


def test_local_sources_are_left_alone(settings):
    settings.LEGISLATORS_SOURCE = str(FIXTURES)
    settings.ZIP_DISTRICTS_SOURCE = str(FIXTURES / "zccd.csv")
    assert tasks.refresh_data.apply().get() == {}
    assert not Legislator.objects.exists()


def test_without_settings_the_official_url_is_used_when_no_local_copy(
    settings, tmp_path, no_network
):
    settings.LEGISLATORS_SOURCE = ""
    settings.ZIP_DISTRICTS_SOURCE = ""
    settings.LOCAL_DATA_DIR = tmp_path
    official = no_network.get(
        "https://unitedstates.github.io/congress-legislators/legislators-current.json", status=503
    )
    with pytest.raises((Retry, SourceError)):
        tasks.refresh_data.apply(throw=True).get()
    assert official.call_count >= 1


def test_a_transient_failure_is_retried_a_permanent_one_is_not(settings, monkeypatch):
    def down():
        raise SourceError("https://x: HTTP 503.", permanent=False)

    def broken():
        raise SourceError("https://x: HTTP 404.", permanent=True)

    retries = []
    monkeypatch.setattr(tasks.refresh_data, "retry", lambda **kw: retries.append(kw) or Retry())
    monkeypatch.setattr(tasks, "refresh_from_urls", down)
    with pytest.raises(Retry):
        tasks.refresh_data.run()
    assert retries and retries[0]["countdown"] > 0
    monkeypatch.setattr(tasks, "refresh_from_urls", broken)
    with pytest.raises(SourceError):
        tasks.refresh_data.run()
    assert len(retries) == 1
