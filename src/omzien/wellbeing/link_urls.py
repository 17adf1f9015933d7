"""The resident's own links, outside /vragenlijst/ and the staff area: the personal
questionnaire link ``/v/<signed>/`` and the link to one's own answers
``/v/antwoorden/<signed>/``."""

from django.urls import path

from omzien.wellbeing import views

app_name = "wellbeing_link"
urlpatterns = [
    path("antwoorden/<str:signed>/", views.own_answers, name="own_answers"),
    path("<str:signed>/", views.open_link, name="open"),
]
