from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "parley.communities"
    label = "communities"
