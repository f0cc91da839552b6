from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "parley.identity"
    label = "identity"
