"""The moderator dashboard, under /dashboard/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from parley.moderation import views

app_name = "moderation"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="moderation/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "logout/",
        auth_views.LogoutView.as_view(next_page="moderation:login"),
        name="logout",
    ),
    path("", views.index, name="index"),
    path("queue/<str:queue>/", views.queue, name="queue"),
    path("comments/<int:comment_id>/", views.comment_detail, name="comment"),
    path("comments/<int:comment_id>/decide/", views.decide, name="decide"),
    path("comments/<int:comment_id>/feature/", views.feature, name="feature"),
    path("bulk/", views.bulk, name="bulk"),
    path("search/", views.search, name="search"),
    path("audit/", views.audit_log, name="audit"),
    path("users/<int:commenter_id>/", views.user_detail, name="user"),
    path("users/<int:commenter_id>/sanction/", views.sanction, name="sanction"),
    path("sanctions/<int:sanction_id>/lift/", views.lift, name="lift"),
    path("names/", views.community_names, name="names"),
    path("names/<int:commenter_id>/", views.decide_name, name="decide_name"),
    path("stories/", views.stories, name="stories"),
    path("stories/<int:story_id>/comments/", views.story_comments, name="story_comments"),
    path("settings/<slug:slug>/word-lists/", views.word_lists, name="word_lists"),
]
