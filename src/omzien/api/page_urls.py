from django.urls import path

from omzien.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("nieuw/", views.create, name="create"),
    path("intrekken/", views.revoke, name="revoke"),
]
