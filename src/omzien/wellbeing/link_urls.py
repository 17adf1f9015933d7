"""The personal link's short address, outside /vragenlijst/: ``/v/<signed token>/``."""

from django.urls import path

from omzien.wellbeing import views

app_name = "wellbeing_link"
urlpatterns = [path("<str:signed>/", views.open_link, name="open")]
