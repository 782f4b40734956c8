"""Organizers' images: resized and re-encoded by Pillow, stored and served
through the storage API."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns import images
from campaigns.models import Campaign
from tests.campaigns.test_organizer_views import edit_data, organizer

pytestmark = pytest.mark.django_db


def upload(name="photo.jpg", size=(4000, 3000), mode="RGB", format="JPEG", exif=True):
    picture = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    buffer = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        extra["exif"] = tags
    picture.save(buffer, format, **extra)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")


def opened(content_file):
    return Image.open(io.BytesIO(content_file.read()))


def test_a_campaign_image_is_resized_to_a_link_preview_and_loses_its_metadata():
    original = upload()
    prepared = images.prepare(original, images.IMAGE)
    picture = opened(prepared)
    assert picture.format == "JPEG"
    assert picture.width <= 1200 and picture.height <= 630
    assert not picture.getexif()
    assert prepared.size < original.size / 4
    assert prepared.name.endswith(".jpg")


def test_a_logo_keeps_its_transparency():
    picture = opened(
        images.prepare(upload("logo.png", (1000, 500), "RGBA", "PNG", False), images.LOGO)
    )
    assert (picture.format, picture.mode, picture.size) == ("PNG", "RGBA", (400, 200))


def test_a_file_that_is_not_an_image_says_so():
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="couldn't read this file as an image"):
        images.prepare(fake, images.IMAGE)


def test_a_huge_file_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ValidationError, match="images can be at most"):
        images.prepare(upload(), images.IMAGE)


@pytest.fixture
def olivia(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = organizer()
    client.force_login(user)
    return user


def edit(client, campaign, **changes):
    data = edit_data(client, campaign, **changes)
    return client.post(f"/organize/{campaign.slug}/", data)


@pytest.fixture
def campaign(olivia):
    return Campaign.objects.create(
        owner=olivia,
        slug="shelter-now",
        title="Shelter now",
        organization="Harbor Families",
        status=Campaign.Status.LIVE,
        letter_subject="Shelter for families",
        letter_body="Dear {legislator_salutation},\n\nPlease fund shelter now.\n\n{full_name}",
    )


def test_an_uploaded_image_is_shown_and_served_from_storage(client, campaign, tmp_path):
    response = edit(client, campaign, image=upload(), image_alt="Families outside a shelter")
    assert response.status_code == 302, response.content.decode()
    campaign.refresh_from_db()
    assert campaign.image.name.startswith("campaigns/images/")
    assert (tmp_path / campaign.image.name).is_file()

    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f'<img src="/media/{campaign.image.name}" alt="Families outside a shelter"' in page
    assert f'content="http://localhost:8000/media/{campaign.image.name}"' in page  # og:image
    served = client.get(f"/media/{campaign.image.name}")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert opened(io.BytesIO(b"".join(served.streaming_content))).width == 840


def test_an_image_needs_a_description(client, campaign):
    response = edit(client, campaign, image=upload())
    assert response.status_code == 200
    assert "Describe the image in a few words" in response.content.decode()


def test_a_logo_shows_beside_the_organization(client, campaign):
    edit(client, campaign, logo=upload("logo.png", (600, 600), "RGBA", "PNG", False))
    campaign.refresh_from_db()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f'<img src="/media/{campaign.logo.name}" alt="" class="campaign-logo">' in page


def test_only_uploads_are_served(client, settings, tmp_path):
    (tmp_path / "secret.txt").write_text("no")
    assert client.get("/media/secret.txt").status_code == 404
    assert client.get("/media/campaigns/images/../../secret.txt").status_code == 404
    assert client.get("/media/campaigns/images/missing.jpg").status_code == 404
