"""The staff help pages at /hulp/beheer/ (namespace ``helping``): coordinators' requests,
proposals and call list; "Hulp nodig?" at the door and from a signal."""

from django.urls import path

from omzien.helping import views

app_name = "helping"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("aanbod/", views.offers, name="offers"),
    path("aanbod/<int:offer_id>/actief/", views.offer_toggle, name="offer_toggle"),
    path("bellijst/", views.call_list, name="call_list"),
    path("vraag/<int:help_request_id>/", views.request_detail, name="request"),
    path("vraag/<int:help_request_id>/voorstellen/", views.propose, name="propose"),
    path("vraag/<int:help_request_id>/status/", views.change_status, name="change_status"),
    path("vraag/<int:help_request_id>/prikbord/", views.board_toggle, name="board_toggle"),
    path("vraag/<int:help_request_id>/hoe-ging-het/", views.feedback, name="feedback"),
    path("voorstel/<int:match_id>/bevestigen/", views.confirm, name="confirm"),
    path("voorstel/<int:match_id>/afwijzen/", views.decline, name="decline"),
    path("voorstel/<int:match_id>/helper/", views.helper_view, name="helper_view"),
    path("deur/<int:person_id>/vraag/", views.door_ask, name="door_ask"),
    path("deur/<int:person_id>/aanbod/", views.door_offer, name="door_offer"),
    path("signaal/<int:pk>/", views.from_signal, name="from_signal"),
]
