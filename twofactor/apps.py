from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = "Two-factor sign-in"

    def ready(self):
        from twofactor import policy  # noqa: F401 (connects the login signal)
