import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaigns import dates, images, letters, origins, translations
from campaigns.models import (
    MAX_LETTER_CHARS,
    MAX_SUBJECT_CHARS,
    Campaign,
    CampaignTranslation,
    CustomTarget,
    Posting,
    Supporter,
    Variant,
)
from campaigns.supporters import titles
from campaigns.text import one_line
from legislators.divisions import STATES
from legislators.models import Legislator

MAX_RELEASE_CHARS = 50_000


class ReleaseForm(forms.Form):
    """Step one for an organizer: the release, pasted or by address."""

    text = forms.CharField(
        label=_("Paste the press release"),
        required=False,
        max_length=MAX_RELEASE_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    url = forms.URLField(
        label=_("…or the address of the release on the web"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("url"):
            raise ValidationError(_("Paste the text of the release or give its web address."))
        return data


class CampaignForm(forms.ModelForm):
    embed_origins = forms.CharField(
        label=_("Sites that may embed this campaign"),
        required=False,
        max_length=origins.MAX_ORIGINS * (origins.MAX_ORIGIN_CHARS + 1),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One site a line, like https://partner.org: only these can show the campaign "
            "in a frame (see the embed code beside). Empty: no site can."
        ),
    )
    member_ids = forms.CharField(
        label=_("Chosen members"),
        required=False,
        max_length=5000,
        help_text=_(
            "For “Only the chosen members”: bioguide ids separated by commas or spaces, "
            "like S000033, W000800. Supporters write only to those among their own members."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "slug",
            "organization",
            "summary",
            "call_to_action",
            "targets",
            "letter_subject",
            "letter_body",
            "organization_statement",
            "letter_editable",
            "topic",
            "starts_at",
            "ends_at",
            "thank_you_text",
            "opt_in_text",
            "share_text",
            "image",
            "image_alt",
            "logo",
            "goal",
            "show_count_from",
            "release_date",
            "show_release_date",
            "embed_origins",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "call_to_action": forms.Textarea(attrs={"rows": 3}),
            "letter_body": forms.Textarea(attrs={"rows": 16}),
            "organization_statement": forms.Textarea(attrs={"rows": 4}),
            "thank_you_text": forms.Textarea(attrs={"rows": 3}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", **dates.INPUT_BOUNDS}
            ),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local", **dates.INPUT_BOUNDS}),
            "release_date": forms.DateInput(attrs={"type": "date"}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        # The model's default names, marked for translation here: naming them
        # on the model would be a migration.
        labels = {
            "title": _("Title"),
            "slug": _("Slug"),
            "organization": _("Organization"),
            "summary": _("Summary"),
            "call_to_action": _("Call to action"),
            "targets": _("Targets"),
            "letter_subject": _("Letter subject"),
            "letter_body": _("Letter body"),
            "organization_statement": _("Organization statement"),
            "letter_editable": _("Letter editable"),
            "topic": _("Topic"),
            "starts_at": _("Starts at"),
            "ends_at": _("Ends at"),
            "thank_you_text": _("Thank you text"),
            "share_text": _("Share text"),
            "image": _("Image"),
            "release_date": _("Release date"),
            "show_release_date": _("Show release date"),
        }
        help_texts = {
            "letter_body": format_lazy(
                _("Merge fields: {fields}"),
                fields=", ".join("{" + name + "}" for name in letters.MERGE_FIELDS),
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["show_count_from"].required = False
        self.initial["embed_origins"] = "\n".join(self.instance.embed_origins)
        if self.instance.pk:
            self.initial["member_ids"] = ", ".join(
                self.instance.target_members.values_list("bioguide_id", flat=True)
            )
        self.order_fields(["title", "slug", "organization", "summary", "call_to_action",
                           "targets", "member_ids"])  # fmt: skip

    def clean_member_ids(self):
        ids = [
            item.upper() for item in re.split(r"[\s,;]+", self.cleaned_data["member_ids"]) if item
        ]
        found = Legislator.objects.filter(bioguide_id__in=ids, in_office=True)
        unknown = sorted(set(ids) - {member.bioguide_id for member in found})
        if unknown:
            raise ValidationError(
                _("No member of Congress in office has the bioguide id %(ids)s.")
                % {"ids": ", ".join(unknown)}
            )
        return list(found)

    def clean_embed_origins(self):
        return origins.parse(self.cleaned_data["embed_origins"])

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.target_members.set(self.cleaned_data["member_ids"])

    def clean_slug(self):
        # The same answer whoever holds the address: another organizer's
        # draft must not be confirmed, named or told apart from a live one.
        slug = self.cleaned_data["slug"]
        if Campaign.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("That address is not available. Choose another."))
        return slug

    def clean_show_count_from(self):
        # Left empty: the default threshold, not an error.
        value = self.cleaned_data["show_count_from"]
        return Campaign._meta.get_field("show_count_from").default if value is None else value

    def clean_image(self):
        return self._prepared("image", images.IMAGE)

    def clean_logo(self):
        return self._prepared("logo", images.LOGO)

    def _prepared(self, name, kind):
        upload = self.cleaned_data[name]
        # A new upload is resized and re-encoded; a kept or cleared one passes as is.
        return images.prepare(upload, kind) if isinstance(upload, UploadedFile) else upload

    def clean_title(self):
        # The title becomes email subjects: one line, always.
        return plain_line(self.cleaned_data["title"], _("The title"))

    def clean_letter_subject(self):
        subject = self.cleaned_data["letter_subject"].strip()
        if not subject:
            raise ValidationError(_("The letter needs a subject."))
        try:
            letters.validate_template(subject, label=_("The subject"))
        except letters.TemplateError as error:
            raise ValidationError(str(error)) from None
        return subject

    def clean_letter_body(self):
        body = self.cleaned_data["letter_body"].strip()
        if not body:
            raise ValidationError(_("The letter needs some text."))
        try:
            letters.validate_template(body)
        except letters.TemplateError as error:
            raise ValidationError(str(error)) from None
        return body

    def clean_organization_statement(self):
        statement = self.cleaned_data["organization_statement"].strip()
        if letters.FIELD.search(statement):
            raise ValidationError(
                _(
                    "The organization statement is the same for every letter: "
                    "it cannot use merge fields."
                )
            )
        return statement

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        if data.get("image") and not data.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe the image in a few words, for screen readers."))
        if not data.get("letter_editable", True) and letters.has_placeholder(
            data.get("letter_body", "")
        ):
            self.add_error(
                "letter_body",
                _(
                    "Supporters cannot edit this letter, so it cannot keep the line in square "
                    "brackets for their own sentence: replace it or delete it."
                ),
            )
        if data.get("targets") == Campaign.Targets.MEMBERS and not data.get("member_ids"):
            self.add_error("member_ids", _("Name at least one member, or choose other targets."))
        return data


class CampaignTranslationForm(forms.ModelForm):
    """The organizer's own words in the campaign's other language, all optional."""

    class Meta:
        model = CampaignTranslation
        fields = list(translations.FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "call_to_action": forms.Textarea(attrs={"rows": 2}),
            "thank_you_text": forms.Textarea(attrs={"rows": 2}),
            "letter_body": forms.Textarea(attrs={"rows": 10}),
        }

    def clean_title(self):
        return plain_line(self.cleaned_data["title"], _("The title"))

    def clean_letter_subject(self):
        subject = plain_line(self.cleaned_data["letter_subject"], _("The subject"))
        return _valid_template(subject, label=_("The subject"))

    def clean_letter_body(self):
        return _valid_template(self.cleaned_data["letter_body"].strip())

    def clean(self):
        data = super().clean()
        if bool(data.get("letter_subject")) != bool(data.get("letter_body")):
            raise ValidationError(
                _("Translate both the letter's subject and its text, or neither.")
            )
        return data


def _valid_template(text, **label):
    try:
        letters.validate_template(text, **label)
    except letters.TemplateError as error:
        raise ValidationError(str(error)) from None
    return text


class CustomTargetForm(forms.ModelForm):
    class Meta:
        model = CustomTarget
        fields = ["name", "salutation", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        target = self.instance
        # Queued letters go to the address as it is at delivery, and they were
        # written for the address that confirmed.
        if target.pk and email != target.email and target.letters.exists():
            raise ValidationError(
                _(
                    "Letters have gone to this address already, so it cannot change. "
                    "Add the new address as another office instead."
                )
            )
        return email


CustomTargetFormSet = forms.inlineformset_factory(
    Campaign,
    CustomTarget,
    form=CustomTargetForm,
    fields=["name", "salutation", "email"],
    extra=1,
    max_num=20,
    labels={"name": _("Office"), "salutation": _("Greeting name"), "email": _("Email")},
)


class VariantForm(forms.ModelForm):
    """Another wording of a campaign: what it leaves blank stays the
    campaign's own, and what it sets is checked as the campaign's own is."""

    class Meta:
        model = Variant
        fields = ["label", "headline", "letter_subject", "letter_body"]
        widgets = {"letter_body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "label": _("A short name for the dashboard, like B or “Urgent subject”."),
            "headline": _("Blank: the campaign's title."),
            "letter_subject": _("Blank: the campaign's subject."),
            "letter_body": format_lazy(
                _("Blank: the campaign's letter. Merge fields: {fields}"),
                fields=", ".join("{" + name + "}" for name in letters.MERGE_FIELDS),
            ),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_label(self):
        label = plain_line(self.cleaned_data["label"], _("The label"))
        if label.upper() == "A":
            raise ValidationError(_("A is the campaign's own wording. Choose another label."))
        taken = self.campaign.variants.filter(label__iexact=label).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Another variant of this campaign has that label."))
        return label

    def clean_headline(self):
        return plain_line(self.cleaned_data["headline"], _("The headline"))

    def clean_letter_subject(self):
        return self._template(
            one_line(self.cleaned_data["letter_subject"]).strip(), _("The subject")
        )

    def clean_letter_body(self):
        body = self._template(self.cleaned_data["letter_body"].strip(), _("The letter"))
        if not self.campaign.letter_editable and letters.has_placeholder(body):
            raise ValidationError(
                _(
                    "Supporters cannot edit this campaign's letter, so it cannot keep the "
                    "line in square brackets for their own sentence: replace it or delete it."
                )
            )
        return body

    def _template(self, text, label):
        try:
            letters.validate_template(text, label=label)
        except letters.TemplateError as error:
            raise ValidationError(str(error)) from None
        return text

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("headline", "letter_subject", "letter_body")):
            raise ValidationError(
                _("Give the variant a headline, a subject or a letter of its own.")
            )
        return data


STATE_CHOICES = [("", _("Choose…"))] + [(code, name) for code, (_fips, name) in STATES.items()]
ZIP_CODE = re.compile(r"^\s*(\d{5})(?:[-\s]?(\d{4}))?\s*$")
KEY = re.compile(r"[0-9a-f]{32}")
PHONE = re.compile(r"^\D*1?\D*(\d{3})\D*(\d{3})\D*(\d{4})\D*$")


def plain_line(value, label):
    """One line of plain text: no line breaks or control characters, which
    have no place in a name and could forge headers downstream."""
    value = " ".join(value.split())
    if any(not ch.isprintable() for ch in value):
        raise ValidationError(_("%(label)s has characters we can't use.") % {"label": label})
    return value


# Said in the error summary and by each field: what to do, not "This field is required".
REQUIRED = {
    "first_name": _("Enter your first name."),
    "last_name": _("Enter your last name."),
    "email": _("Enter your email address, so we can tell you when your letters arrive."),
    "street": _("Enter your street address: offices answer only their own constituents."),
    "city": _("Enter your city or town."),
    "state": _("Choose your state."),
    "zip_code": _("Enter your ZIP code."),
}


class SupporterForm(forms.Form):
    """Who the supporter is and where they live: step one on a campaign page."""

    # As the page shows them, so the error summary lists them in the same order.
    field_order = [
        "first_name", "last_name", "email", "street", "city", "state", "zip_code", "prefix",
        "phone",
    ]  # fmt: skip

    prefix = forms.ChoiceField(
        label=_("Title"), required=False, choices=[("", _("No title")), *Supporter.Prefix.choices]
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=254)
    street = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES)
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10)
    # A honeypot: hidden from people by CSS, filled in by form-filling bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=20,
        help_text=_("Some offices call back; leave it empty if you prefer."),
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.senate_title = campaign is not None and titles.senate_needs_title(campaign)
        self.fields["prefix"].choices = titles.choices(self.senate_title)
        self.fields["prefix"].help_text = titles.help_text(self.senate_title)
        self.opt_in_text = campaign.opt_in_text if campaign is not None else ""
        if self.opt_in_text:
            # Unticked unless the supporter ticked it: consent is never assumed.
            self.fields["opt_in"] = forms.BooleanField(label=self.opt_in_text, required=False)
            self.initial.setdefault("opt_in", bool(self.initial.get("opt_in_text")))
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "street": "street-address",
            "city": "address-level2",
            "state": "address-level1",
            "zip_code": "postal-code",
            "phone": "tel",
            "prefix": "honorific-prefix",
        }
        for name, token in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        for name, text in REQUIRED.items():
            self.fields[name].error_messages["required"] = text
        self.fields["zip_code"].widget.attrs["inputmode"] = "numeric"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    @property
    def title_rule(self):
        """What varies the rendered fields between campaigns (for the template cache)."""
        return "senate" if self.senate_title else "house"

    def clean_prefix(self):
        title = self.cleaned_data["prefix"]
        if problem := titles.problem(title, self.senate_title):
            raise ValidationError(problem)
        return title

    def clean(self):
        data = super().clean()
        # Kept as the words agreed to, so the record says what was consented to.
        data["opt_in_text"] = self.opt_in_text if data.pop("opt_in", False) else ""
        return data

    def clean_first_name(self):
        return plain_line(self.cleaned_data["first_name"], _("Your first name"))

    def clean_last_name(self):
        return plain_line(self.cleaned_data["last_name"], _("Your last name"))

    def clean_street(self):
        street = plain_line(self.cleaned_data["street"], _("The street address"))
        if len(street) < 3 or not any(ch.isdigit() for ch in street):
            raise ValidationError(_("Enter your street address with its number, like 12 Elm St."))
        return street

    def clean_city(self):
        city = plain_line(self.cleaned_data["city"], _("The city"))
        if len(city) < 2:
            raise ValidationError(_("Enter the name of your city or town."))
        return city

    def clean_zip_code(self):
        match = ZIP_CODE.match(self.cleaned_data["zip_code"])
        if not match:
            raise ValidationError(
                _("Enter a 5-digit US ZIP code, like 05401 (ZIP+4 like 05401-1234 works too).")
            )
        return "-".join(part for part in match.groups() if part)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        match = PHONE.match(phone)
        if not match:
            raise ValidationError(_("Enter a 10-digit US phone number, like 802-555-0123."))
        return "-".join(match.groups())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("Please leave the last field empty."))
        return ""


class LetterForm(forms.Form):
    """Step two: the letter, as the supporter leaves it."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT_CHARS)
    body = forms.CharField(
        label=_("Your letter"),
        max_length=MAX_LETTER_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
    )

    def __init__(self, *args, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = editable
        body = self.fields["body"].widget
        body.attrs.update({"maxlength": MAX_LETTER_CHARS, "data-count-target": "letter-count"})
        body.attrs["aria-describedby"] = "letter-count"
        if not editable:
            for name in ("subject", "body"):
                self.fields[name].disabled = True

    def clean_key(self):
        key = self.cleaned_data["key"]
        if not KEY.fullmatch(key):
            raise ValidationError(_("This form has expired. Please send it again."))
        return key

    def repeated_posting(self, campaign):
        """The Posting this very form already made, accepted or still pending:
        a double click or a refresh."""
        key = self.data.get("key", "")
        if not KEY.fullmatch(key):
            return None
        return Posting.objects.filter(campaign=campaign, idempotency_key=key).first()

    def clean_subject(self):
        subject = plain_line(self.cleaned_data["subject"], _("The subject"))
        if len(subject) < 6:
            raise ValidationError(_("Give your letter a subject of at least 6 characters."))
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        # Words, not just a greeting: an emptied letter would reach the
        # office as "Dear Senator,", which helps nobody.
        if len(letters.FIELD.sub("", body).split()) < 10:
            raise ValidationError(_("Your letter is empty or nearly so. Write a few sentences."))
        if letters.has_placeholder(body):
            raise ValidationError(
                _(
                    "Your letter still has the line in square brackets: replace it with one "
                    "sentence of your own about why this matters to you, or delete it."
                )
            )
        return body
