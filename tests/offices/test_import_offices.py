"""import_offices: the chambers' lists from files and from a URL (the local
CWC server), checked against the roster; bad input is refused with a message."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from legislators.models import Legislator
from offices.models import Office
from tests import factories
from tests.support.cwc_server import API_KEY, CwcServer

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_offices", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def roster():
    """California's senators (classes 1 and 3) and two House seats."""
    return {
        "senior": factories.legislator("CA", senate_class=1),
        "junior": factories.legislator("CA", senate_class=3),
        "ca12": factories.legislator("CA", 12),
        "ak": factories.legislator("AK", 0),
    }


@pytest.fixture(autouse=True)
def empty_directory(roster):
    # The factories enrol every member; these tests start from what the lists say.
    Office.objects.all().delete()


def office(member):
    return Office.objects.get(legislator=member)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_a_house_list_one_code_per_line_enrols_the_seats_it_names(tmp_path, roster):
    house = write(tmp_path, "house.txt", "# House offices\nHCA12\n\nHNY03  # vacant here\n")
    out = run("--house", house)
    assert office(roster["ca12"]).cwc_code == "HCA12" and office(roster["ca12"]).enrolled
    assert office(roster["ca12"]).last_listed_at is not None
    assert not office(roster["ak"]).enrolled and office(roster["ak"]).cwc_code == ""
    assert "House: 2 codes listed, 1 offices reached by CWC." in out
    assert (
        f"1 members on the roster are not listed: {roster['ak'].bioguide_id} (AK at-large)" in out
    )
    assert "1 listed codes match no current member: HNY03." in out
    # The Senate list was not given: its offices are left as they were.
    assert not Office.objects.filter(chamber="senate").exists()


def test_the_senate_active_offices_shape(tmp_path, roster):
    senate = write(tmp_path, "active_offices.json", [{"office_code": "SCA03", "name": "x"}])
    run("--senate", senate)
    assert office(roster["junior"]).cwc_code == "SCA03" and office(roster["junior"]).enrolled
    assert not office(roster["senior"]).enrolled


@pytest.mark.parametrize(
    "content", [["HCA12"], {"offices": ["HCA12"]}, {"active_offices": [{"office_code": "HCA12"}]}]
)
def test_each_documented_json_shape(tmp_path, roster, content):
    run("--house", write(tmp_path, "house.json", content))
    assert office(roster["ca12"]).enrolled


def test_both_lists_by_url_from_the_cwc_server(roster):
    with CwcServer(offices={"HCA12", "HAK00", "SCA01"}) as server:
        out = run(
            "--house",
            f"{server.url}/offices?apikey={API_KEY}",
            "--senate",
            f"{server.url}/active_offices?apikey={API_KEY}",
        )
    assert {o.cwc_code for o in Office.objects.filter(enrolled=True)} == {
        "HCA12",
        "HAK00",
        "SCA01",
    }
    assert "Senate: 1 codes listed, 1 offices reached by CWC." in out


def test_an_http_error_names_the_url_without_our_key(roster):
    with CwcServer(offices={"HCA12"}) as server, pytest.raises(CommandError) as refused:
        run("--house", f"{server.url}/offices?apikey=wrong-key")
    assert str(refused.value) == f"{server.url}/offices?apikey=***: HTTP 401."
    assert not Office.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[not json", "house.json: not valid JSON"),
        (["SCA01"], "house.json, item 1: 'SCA01' is not a House office code."),
        (["HCA1"], "house.json, item 1: 'HCA1' is not a House office code."),
        ([12], "house.json, item 1: expected a code or an object with an office_code."),
        ({"codes": []}, "house.json: a JSON object needs an 'offices' list."),
        ([], "house.json: no office codes in it."),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(tmp_path, roster, content, message):
    house = write(tmp_path, "house.json", content)
    with pytest.raises(CommandError) as refused:
        run("--house", house)
    assert message in str(refused.value)
    assert not Office.objects.exists()


def test_a_bad_senate_list_keeps_a_good_house_list_from_being_applied(tmp_path, roster):
    house = write(tmp_path, "house.txt", "HCA12\n")
    senate = write(tmp_path, "senate.txt", "SCA04\n")
    with pytest.raises(CommandError, match="'SCA04' is not a Senate office code"):
        run("--house", house, "--senate", senate)
    assert not Office.objects.exists()


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("--house", str(tmp_path / "absent.txt"))
    binary = tmp_path / "house.txt"
    binary.write_bytes(b"\xff\xfeH\x00")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        run("--house", str(binary))


def test_without_a_source_it_says_what_to_give(settings):
    settings.CWC_HOUSE_OFFICES_SOURCE = settings.CWC_SENATE_OFFICES_SOURCE = ""
    with pytest.raises(CommandError, match="Give --house or --senate"):
        run()


def test_the_configured_sources_are_the_default(tmp_path, roster, settings):
    settings.CWC_HOUSE_OFFICES_SOURCE = write(tmp_path, "house.txt", "HAK00\n")
    settings.CWC_SENATE_OFFICES_SOURCE = ""
    run()
    assert office(roster["ak"]).enrolled


def test_a_seat_that_changes_hands_keeps_its_code_and_gets_its_new_member(tmp_path, roster):
    house = write(tmp_path, "house.txt", "HCA12\nHAK00\n")
    run("--house", house)
    departed = roster["ca12"]
    Legislator.objects.filter(pk=departed.pk).update(in_office=False)
    elected = factories.legislator("CA", 12)  # a special election
    Office.objects.filter(legislator=elected).delete()

    out = run("--house", house)
    assert office(elected).cwc_code == "HCA12" and office(elected).enrolled
    assert not office(departed).enrolled
    assert f"HCA12 moved from {departed.bioguide_id} to {elected.bioguide_id}" in out


def test_an_import_keeps_the_staff_overrides(tmp_path, roster):
    run("--house", write(tmp_path, "house.txt", "HCA12\n"))
    Office.objects.filter(legislator=roster["ak"]).update(email="letters@ak.example.gov")
    run("--house", write(tmp_path, "house2.txt", "HAK00\n"))
    assert office(roster["ak"]).enrolled and office(roster["ak"]).email == "letters@ak.example.gov"
    assert not office(roster["ca12"]).enrolled  # taken off the list
    assert office(roster["ca12"]).cwc_code == "HCA12"  # kept for the record
