"""The campaigns pages of the moderator dashboard, under /dashboard/campaigns/."""

from __future__ import annotations

from django.urls import path

from parley.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/decide/", views.decide, name="decide"),
]
