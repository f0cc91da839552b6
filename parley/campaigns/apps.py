from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "parley.campaigns"
    label = "campaigns"
