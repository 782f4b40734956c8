from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # Connects the receivers that set a new version when a campaign
        # changes, in every process (a worker, a command), not only those
        # that serve its pages.
        from campaigns.supporters import kept  # noqa: F401
