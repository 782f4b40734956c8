"""The supporter's flow in Spanish: chosen from the browser, a ?lang= link or
the switcher; the organizer's translated copy; emails in the reader's language."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from campaigns import emails
from campaigns.drafting import authoring
from campaigns.models import CampaignTranslation, Submission, Supporter
from tests import factories
from tests.campaigns.conftest import BROWSER, edit_form_data, letter_form, look_up
from tests.campaigns.test_organizer_views import organizer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]

SPANISH = {"User-Agent": BROWSER, "Accept-Language": "es-US,es;q=0.9,en;q=0.5"}


@pytest.fixture
def lector():
    return Client(headers=SPANISH)


@pytest.fixture
def translated(campaign):
    return CampaignTranslation.objects.create(
        campaign=campaign,
        language="es",
        title="Vivienda ya",
        call_to_action="Escriba hoy al Congreso.",
        thank_you_text="Gracias por su apoyo.",
        letter_subject="Vivienda para las familias",
        letter_body="Estimado/a {legislator_salutation}:\n\nFinancien la vivienda para las "
        "familias de {city} y de todo el país. Gracias.\n\n{full_name}",
    )


def test_a_spanish_browser_gets_the_page_in_spanish(lector, visitor, campaign):
    response = lector.get(campaign.get_absolute_url())
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Escriba a sus miembros del Congreso" in html and "Buscar a mis miembros" in html
    assert "Find my members" not in html
    assert response["Content-Language"] == "es"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    # The kept first view is per language: an English browser still reads English.
    english = visitor.get(campaign.get_absolute_url()).content.decode()
    assert '<html lang="en">' in english and "Find my members" in english
    assert "Street address" in english and "Dirección" not in english  # the form's own cache
    again = Client(headers=SPANISH).get(campaign.get_absolute_url()).content.decode()
    assert "Buscar a mis miembros" in again


def test_the_lang_link_switches_any_page_and_sticks(visitor, campaign):
    html = visitor.get(campaign.get_absolute_url()).content.decode()
    assert 'href="?lang=es" lang="es" hreflang="es">Español</a>' in html
    response = visitor.get("/?lang=es")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Escriba al Congreso" in response.content.decode()
    later = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Buscar a mis miembros" in later
    assert 'href="?lang=en" lang="en" hreflang="en">English</a>' in later
    back = visitor.get(campaign.get_absolute_url() + "?lang=en").content.decode()
    assert "Find my members" in back
    assert "Find my members" in visitor.get(campaign.get_absolute_url()).content.decode()
    # A language the site does not offer changes nothing.
    assert (
        "Find my members" in visitor.get(campaign.get_absolute_url() + "?lang=fr").content.decode()
    )


def test_errors_and_form_labels_are_spanish(lector, campaign, vermont):
    html = look_up(lector, campaign, first_name="", zip_code="123").content.decode()
    assert "Hay un problema" in html
    assert "Escriba su nombre." in html
    assert "Escriba un código postal (ZIP) de EE. UU. de 5 dígitos" in html
    assert "Código postal (ZIP)" in html


def test_the_campaign_shows_the_organizers_translation_to_spanish_readers(
    lector, visitor, campaign, translated
):
    html = lector.get(campaign.get_absolute_url()).content.decode()
    assert "Vivienda ya" in html and "Escriba hoy al Congreso." in html
    assert "Families need shelter." in html  # not translated: the campaign's own
    english = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Shelter now" in english and "Vivienda ya" not in english


def test_a_spanish_campaign_with_an_english_copy(lector, visitor, campaign):
    campaign.language = "es"
    campaign.title = "Vivienda ya"
    campaign.save()
    CampaignTranslation.objects.create(campaign=campaign, language="en", title="Housing now")
    assert "Housing now" in visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Vivienda ya" in lector.get(campaign.get_absolute_url()).content.decode()


def test_spanish_readers_get_the_translated_letter_and_everything_in_spanish(
    lector, campaign, vermont, translated
):
    look_up(lector, campaign)
    page = lector.get(campaign.get_absolute_url()).content.decode()
    assert "Sus miembros del Congreso" in page and "Senador(a), Vermont" in page
    form = letter_form(lector, campaign)
    assert form["subject"] == "Vivienda para las familias"
    assert "Financien la vivienda para las familias de Burlington" in form["body"]
    assert "Enviar mis cartas" in page
    response = lector.post(f"/c/{campaign.slug}/send/", form)
    submission = Submission.objects.get()
    assert submission.subject == "Vivienda para las familias"
    assert submission.supporter.language == "es"
    thanks = lector.get(response["Location"]).content.decode()
    assert "¡Gracias, Maya!" in thanks and "Gracias por su apoyo." in thanks
    assert "Pida a una amistad que también escriba" in thanks

    emails.send_confirmation(submission.id)
    message = mail.outbox[-1]
    assert message.subject == "Sus cartas están en camino: Vivienda ya"
    assert message.body.startswith("Estimado/a Maya:")
    assert "Esta es la carta que envió" in message.body
    assert "(Senador(a) Bernard Sanders, Vermont)" in message.body


def test_without_a_translated_letter_the_offices_get_the_campaigns(lector, campaign, vermont):
    look_up(lector, campaign)
    form = letter_form(lector, campaign)
    assert form["subject"] == "Shelter for families"
    lector.post(f"/c/{campaign.slug}/send/", form)
    assert Submission.objects.get().subject == "Shelter for families"
    # The supporter's email is Spanish all the same; an English one stays English.
    emails.send_confirmation(Submission.objects.get().id)
    assert mail.outbox[-1].subject == "Sus cartas están en camino: Shelter now"
    Supporter.objects.update(language="en")
    emails.send_confirmation(Submission.objects.get().id)
    assert mail.outbox[-1].subject == "Your letters are on their way: Shelter now"


def test_dates_and_figures_follow_the_language(lector, visitor, campaign):
    campaign.show_count_from = 1
    campaign.goal = 25000
    campaign.release_date = "2026-03-05"
    campaign.show_release_date = True
    campaign.save()
    factories.letters(1, campaign=campaign)
    spanish = lector.get(campaign.get_absolute_url()).content.decode()
    english = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Comunicado de prensa del 5 de marzo de 2026" in spanish
    assert "<strong>1</strong> carta enviada de una meta de 25,000." in spanish
    assert "Press release of March 5, 2026" in english
    assert "<strong>1</strong> letter sent of a goal of 25,000." in english


def test_the_organizer_writes_the_spanish_copy(client, campaign):
    campaign.owner = organizer()
    campaign.save()
    client.force_login(campaign.owner)
    page = client.get(f"/organize/{campaign.slug}/")
    assert "La página en" not in page.content.decode()
    assert "The page in Spanish" in page.content.decode()
    data = edit_form_data(page) | {"targets": "congress", "translation-title": "Vivienda ya"}
    data.pop("target_members", None)
    data |= {"targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0"}
    half = data | {"translation-letter_subject": "Vivienda"}
    response = client.post(f"/organize/{campaign.slug}/", half)
    assert "Translate both the letter&#x27;s subject and its text, or neither." in (
        response.content.decode()
    )
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 302, response.content.decode()
    assert CampaignTranslation.objects.get(campaign=campaign).title == "Vivienda ya"
    # Emptied, the translation goes.
    client.post(f"/organize/{campaign.slug}/", data | {"translation-title": ""})
    assert not CampaignTranslation.objects.exists()


def test_error_pages_speak_the_visitors_language(lector, visitor):
    missing = lector.get("/c/no-such-campaign/")
    assert missing.status_code == 404
    assert "Página no encontrada" in missing.content.decode()
    assert "Page not found" in visitor.get("/c/no-such-campaign/").content.decode()


def test_a_clone_keeps_the_translation(campaign, translated):
    copy = authoring.clone(campaign, owner=organizer())
    assert copy.translations.get().title == "Vivienda ya"
    assert campaign.translations.get() == translated
