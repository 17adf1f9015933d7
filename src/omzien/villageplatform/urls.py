"""The dorpenplatform at /dorpenplatform/ (namespace ``villageplatform``): staff only."""

from django.urls import path

from omzien.villageplatform import views

app_name = "villageplatform"
urlpatterns = [
    path("", views.evenings, name="evenings"),
    path("avond/nieuw/", views.evening_new, name="evening_new"),
    path("avond/<int:evening_id>/", views.evening, name="evening"),
    path("avond/<int:evening_id>/wijzigen/", views.evening_edit, name="evening_edit"),
    path("avond/<int:evening_id>/verwijderen/", views.evening_delete, name="evening_delete"),
    path("avond/<int:evening_id>/aanwezig/", views.attendance, name="attendance"),
    path("avond/<int:evening_id>/actie/", views.action_new, name="action_new"),
    path("actie/<int:action_id>/wijzigen/", views.action_edit, name="action_edit"),
    path("actie/<int:action_id>/verwijderen/", views.action_delete, name="action_delete"),
    path("actie/<int:action_id>/opvolging/", views.follow_up, name="follow_up"),
    path("wat-werkt/", views.search, name="search"),
    path("wat-werkt/nieuw/", views.lesson_new, name="lesson_new"),
    path("wat-werkt/<int:lesson_id>/wijzigen/", views.lesson_edit, name="lesson_edit"),
    path("wat-werkt/<int:lesson_id>/verwijderen/", views.lesson_delete, name="lesson_delete"),
    path("plek/<int:place_id>/", views.place, name="place"),
]
