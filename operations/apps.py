from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from config import request_id
        from operations.access import allowed_networks

        allowed_networks()  # a bad METRICS_ALLOWED_NETWORKS stops start-up, not a scrape

        # In the web (publishing) and in workers (running): both load the apps.
        request_id.connect_to_celery()
