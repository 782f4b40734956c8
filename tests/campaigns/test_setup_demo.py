import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import override_settings

from campaigns.models import Campaign
from tests.campaigns.test_organizer_views import RELEASE


@pytest.fixture
def seed(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(RELEASE)
    with override_settings(DEMO_RELEASE=path):
        yield path


@pytest.mark.django_db
def test_demo_admin_and_seed_campaign_are_created_once(seed, capsys):
    call_command("setup_demo", "--skip-data")
    first = capsys.readouterr().out
    call_command("setup_demo", "--skip-data")
    second = capsys.readouterr().out

    assert first == second  # the same credentials and campaign, printed again
    password = first.split("password ")[1].split("\n")[0].strip("'")
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser
    assert get_user_model().objects.count() == 1
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.LIVE
    assert campaign.get_absolute_url() in first


@pytest.mark.django_db
def test_without_a_seed_release_it_says_what_to_do(tmp_path, capsys):
    with override_settings(DEMO_RELEASE=tmp_path / "absent.txt"):
        call_command("setup_demo", "--skip-data")
    assert "draft a campaign at /organize/new/" in capsys.readouterr().out
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_demo_loads_the_real_data(shared, capsys):
    shared("data", "congress-legislators", "legislators-current.yaml")
    from legislators.models import Legislator, ZipDistrict

    with override_settings(DEMO_RELEASE=shared("seed-release.txt")):
        call_command("setup_demo")
    assert Legislator.objects.filter(in_office=True).count() == 537
    assert ZipDistrict.objects.filter(zcta="05401").exists()
    campaign = Campaign.objects.get()
    assert "Syrian" in campaign.organization
    # The demo's outbox only records letters, so every seat is listed and no
    # member's letter ends "no way to reach this office".
    from offices.models import Office

    assert Office.objects.filter(enrolled=True).count() == 537
    assert "offices listed as reached by CWC" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_lists_no_seat_where_letters_go_to_cwc(settings):
    from io import StringIO

    from campaigns.management.commands.setup_demo import Command
    from offices import directory
    from offices.models import Office

    settings.DELIVERY_CHANNELS = ["cwc"]
    settings.CWC_HOUSE_OFFICES_SOURCE = settings.CWC_SENATE_OFFICES_SOURCE = ""
    with pytest.raises(ValueError, match="import_offices"):
        directory.list_every_seat_for_demo()
    out = StringIO()
    Command(stdout=out).import_offices()
    assert "No CWC office lists" in out.getvalue()
    assert not Office.objects.exists()
