"""The public pages of proposed activities at /plannen/ (namespace ``plans``)."""

from django.urls import path

from omzien.proposals import views

app_name = "plans"
urlpatterns = [
    path("", views.board, name="board"),
    path("nieuw/", views.propose, name="new"),
    path("bedankt/", views.thanks, name="thanks"),
    path("<int:proposal_id>/", views.detail, name="detail"),
    path("<int:proposal_id>/aangemeld/", views.joined, name="joined"),
]
