from django.apps import AppConfig


class LegislatorsConfig(AppConfig):
    name = "legislators"
    verbose_name = "Legislators"

    def ready(self):
        # Connects the receivers that keep the members cache in step with the roster.
        from legislators import roster  # noqa: F401
