from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from parley.embed import views

app_name = "embed"

urlpatterns = [
    path("", views.index, name="index"),
    path("stories/<int:story_id>/", views.story_page, name="story"),
    path("embed/thread/", views.embed_thread, name="embed-thread"),
    path("embed/stories/<int:story_id>/", views.embed_story, name="embed-story"),
    path("embed.js", views.embed_loader, name="embed-loader"),
    path("demo/login/", views.demo_login, name="demo-login"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("guidelines/<int:version>/", views.guidelines, name="guidelines-version"),
    path("terms/", views.terms, name="terms"),
    # The catalogue changes only with a deploy; LocaleMiddleware adds Vary: Accept-Language.
    path(
        "jsi18n/",
        cache_control(public=True, max_age=3600)(
            JavaScriptCatalog.as_view(packages=["parley.embed"])
        ),
        name="jsi18n",
    ),
]
