from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands (demo, serve, worker, apikey, sso-token): no models, no domain rules."""

    name = "parley.ops"
    label = "ops"
