from django.urls import path

from parley.embed import views

urlpatterns = [
    path("", views.home, name="home"),
]
