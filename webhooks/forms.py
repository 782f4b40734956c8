from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.addresses import UnsafeUrl, check_url
from webhooks.models import Event, Webhook


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, initial=Event.values
    )
    secret = forms.CharField(
        required=False,
        min_length=16,
        max_length=200,
        help_text=_("Leave empty and we make one. We sign each request with it."),
    )

    class Meta:
        model = Webhook
        fields = ("url", "events", "secret")
        labels = {"url": "URL"}

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except UnsafeUrl as error:
            raise forms.ValidationError(str(error)) from None
        return url

    def clean_secret(self):
        # An empty secret means "make one": the model's default does.
        return self.cleaned_data["secret"] or Webhook._meta.get_field("secret").get_default()
