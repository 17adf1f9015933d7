"""The coordinators' pages of visits between places at /bezoeken/ (namespace ``visiting``)."""

from django.urls import path

from omzien.visiting import views

app_name = "visiting"
urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("nieuw/", views.new, name="new"),
    path("<int:invitation_id>/", views.detail, name="detail"),
    path("<int:invitation_id>/annuleren/", views.cancel, name="cancel"),
    path("<int:invitation_id>/antwoord/", views.answer, name="answer"),
    path("<int:invitation_id>/verslag/", views.report, name="report"),
    path("<int:invitation_id>/proberen/", views.wish, name="wish"),
]
