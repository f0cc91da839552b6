from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "parley.stories"
    label = "stories"
