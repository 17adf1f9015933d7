"""The public help pages at /hulp/ (namespace ``help``)."""

from django.urls import path

from omzien.helping import views

app_name = "help"
urlpatterns = [
    path("", views.start, name="start"),
    path("vragen/", views.ask, name="ask"),
    path("aanbieden/", views.offer, name="offer"),
    path("vervoer/", views.transport, name="transport"),
    path("bedankt/", views.thanks, name="thanks"),
    path("prikbord/", views.board, name="board"),
    path("prikbord/<int:help_request_id>/", views.board_offer, name="board_offer"),
]
