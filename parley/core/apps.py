from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parley.core"
    label = "core"
    verbose_name = "Parley core"

    def ready(self) -> None:
        from parley.core import checks  # noqa: F401  (registers the start-up checks)
