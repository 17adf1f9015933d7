from django.urls import path

from omzien.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.door, name="door"),
    path("<int:session_id>/", views.check_in_screen, name="check_in"),
    path("<int:session_id>/zoeken/", views.search, name="search"),
    path("<int:session_id>/inchecken/", views.tap_check_in, name="tap_check_in"),
    path("<int:session_id>/uitchecken/", views.tap_undo, name="tap_undo"),
    path("<int:session_id>/anoniem/erbij/", views.tap_add_anonymous, name="tap_add_anonymous"),
    path("<int:session_id>/anoniem/eraf/", views.tap_remove_anonymous, name="tap_remove_anonymous"),
    path("<int:session_id>/nieuw/", views.register, name="register"),
    path("<int:session_id>/aanwezig/", views.presence, name="presence"),
    path("<int:session_id>/gastvrouwen/", views.session_hosts, name="hosts"),
    path("<int:session_id>/naambordjes.pdf", views.badges, name="badges"),
    path("persoon/<int:person_id>/", views.person_history, name="person"),
]
