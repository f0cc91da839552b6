from django.contrib import admin
from django.urls import include, path

from parley.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("dashboard/campaigns/", include("parley.campaigns.urls")),
    path("dashboard/", include("parley.moderation.urls")),
    path("", include("parley.embed.urls")),
]
