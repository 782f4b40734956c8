"""A Spanish-reading supporter on a phone: from the campaign URL to the
thank-you page, with the organizer's Spanish copy and letter."""

import pytest
from django.test import override_settings

from campaigns.models import CampaignTranslation, Letter, Supporter
from offices.models import Office
from tests.e2e.conftest import (
    PHONE,
    screenshot,
    serious_accessibility_violations,
    shelter_campaign,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        campaign = shelter_campaign(
            slug="vivienda",
            letter_body="Dear {legislator_salutation},\n\nPlease fund shelter.\n\n{full_name}",
        )
        CampaignTranslation.objects.create(
            campaign=campaign,
            language="es",
            title="Un techo para cada familia este invierno",
            summary="Miles de familias de nuestro estado no tienen un lugar seguro donde dormir.",
            call_to_action="Pedimos al Congreso que financie ya refugios de emergencia.",
            thank_you_text="Gracias por alzar la voz por las familias.",
            letter_subject="Financien refugios de emergencia para familias",
            letter_body=(
                "Estimado/a {legislator_salutation}:\n\nComo su elector/a en {city}, le pido "
                "que financie refugios de emergencia para las familias este invierno."
                "\n\nAtentamente,\n{full_name}"
            ),
        )
        yield campaign


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="es-US")
    yield watched_page(context, "phone")
    context.close()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_spanish_supporter_writes_from_a_phone(live_server, phone, campaign):
    page = phone
    page.goto(f"{live_server.url}/c/{campaign.slug}/")
    assert page.locator("html").get_attribute("lang") == "es"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Un techo para cada familia este invierno"
    assert page.get_by_role("link", name="English").is_visible()
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)
    screenshot(page, "spanish-1-campaign")

    page.get_by_label("Tratamiento").select_option("Ms.")
    page.locator("#id_first_name").fill("María")
    page.get_by_label("Apellido").fill("Ortiz")
    page.get_by_label("Correo electrónico").fill("maria@example.org")
    page.get_by_label("Dirección (calle y número)").fill("12 Elm St")
    page.get_by_label("Ciudad").fill("Burlington")
    page.get_by_label("Estado").select_option("VT")
    page.get_by_label("Código postal (ZIP)").fill("SW1A")
    page.get_by_role("button", name="Buscar a mis miembros del Congreso").click()
    assert "Hay un problema" in page.locator("#error-summary").inner_text()
    assert "5 dígitos" in page.locator("#error_1_id_zip_code").inner_text()
    screenshot(page, "spanish-2-error")

    page.get_by_label("Código postal (ZIP)").fill("05401")
    page.get_by_role("button", name="Buscar a mis miembros del Congreso").click()
    assert page.get_by_role("heading", name="Sus miembros del Congreso").is_visible()
    members = page.locator(".legislator-card")
    assert members.count() == 3
    assert "Senador(a), Vermont" in members.nth(0).inner_text()
    subject = page.get_by_label("Asunto")
    assert subject.input_value() == "Financien refugios de emergencia para familias"
    body = page.get_by_label("Su carta")
    assert "Como su elector/a en Burlington" in body.input_value()
    count = page.locator("#letter-count").inner_text()
    assert count == f"{len(body.input_value())} de 10,000 caracteres"
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)
    screenshot(page, "spanish-3-letter")

    body.fill(body.input_value() + "\nMi familia vivió en un refugio en 2019.")
    page.get_by_role("button", name="Enviar mis cartas").click()
    page.wait_for_url("**/thanks/**")
    assert page.get_by_role("heading", level=1).inner_text() == "¡Gracias, María!"
    assert "Gracias por alzar la voz por las familias." in page.content()
    assert page.locator(".letter-status").count() == 3
    assert page.get_by_role("heading", name="Pida a una amistad que también escriba").is_visible()
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)
    screenshot(page, "spanish-4-thanks")

    letters = Letter.objects.all()
    assert not letters.filter(status=Letter.Status.NO_ROUTE).exists()
    assert letters.count() == 3
    assert all(letter.subject.startswith("Financien refugios") for letter in letters)
    assert all("Mi familia vivió en un refugio" in letter.body for letter in letters)
    assert Supporter.objects.get().language == "es"

    # The switcher: the same page in English, and it stays English.
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/c/{campaign.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == campaign.title
    assert page.problems == []


def test_an_office_no_channel_reaches_is_named_at_once_with_its_phone(phone, live_server, campaign):
    """Issue 15's promise on a phone, in Spanish: the letter to an office that
    takes no electronic letters is told at once, with the office's phone and
    contact page, and its long status wraps inside the row."""
    Office.objects.filter(legislator__bioguide_id="W000800").update(no_route=True)
    page = phone
    page.goto(f"{live_server.url}/c/{campaign.slug}/")
    page.get_by_label("Tratamiento").select_option("Ms.")
    page.locator("#id_first_name").fill("María")
    page.get_by_label("Apellido").fill("Ortiz")
    page.get_by_label("Correo electrónico").fill("maria@example.org")
    page.get_by_label("Dirección (calle y número)").fill("12 Elm St")
    page.get_by_label("Ciudad").fill("Burlington")
    page.get_by_label("Estado").select_option("VT")
    page.get_by_label("Código postal (ZIP)").fill("05401")
    page.get_by_role("button", name="Buscar a mis miembros del Congreso").click()
    page.get_by_role("button", name="Enviar mis cartas").click()
    page.wait_for_url("**/thanks/**")

    assert page.locator(".receipt-summary").inner_text() == (
        "Enviadas hasta ahora: 0 de 3; sin poder enviarse: 1 (vea abajo); "
        "las demás están en camino."
    )
    notice = page.locator(".no-route")
    assert notice.count() == 1
    assert "Llame a la oficina" in notice.inner_text()
    assert notice.get_by_role("link", name="202-224-3121").get_attribute("href") == (
        "tel:202-224-3121"
    )
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)
    screenshot(page, "spanish-5-no-route")
    assert Letter.objects.get(legislator__bioguide_id="W000800").status == Letter.Status.NO_ROUTE
    assert page.problems == []
