"""The coordinators' planning pages at /planning/ (URL names planning:...)."""

from django.urls import path

from omzien.agenda import planning_views as views

app_name = "planning"
urlpatterns = [
    path("", views.activity_list, name="activities"),
    path("nieuw/", views.activity_new, name="new"),
    path("activiteit/<int:activity_id>/", views.activity_edit, name="edit"),
    path("activiteit/<int:activity_id>/extra/", views.session_add, name="add_session"),
    path("bijeenkomsten/", views.session_list, name="sessions"),
    path("bijeenkomst/<int:session_id>/afzeggen/", views.session_cancel, name="cancel"),
    path("bijeenkomst/<int:session_id>/doorgaan/", views.session_reinstate, name="reinstate"),
    path("bijeenkomst/<int:session_id>/verplaatsen/", views.session_move, name="move"),
    path("sluitingen/", views.closure_list, name="closures"),
    path("sluitingen/<int:closure_id>/verwijderen/", views.closure_delete, name="delete_closure"),
]
