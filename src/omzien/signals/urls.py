from django.urls import path

from omzien.signals import views

app_name = "signals"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("afgehandeld/", views.closed_signals, name="closed"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/toewijzen/", views.assign_from_list, name="assign"),
    path("<int:pk>/zelf-opvolgen/", views.take_over, name="take_over"),
    path("deur/<int:session_id>/<int:pk>/", views.door_answer, name="door_answer"),
    path("deur/<int:session_id>/<int:pk>/ongedaan/", views.door_undo, name="door_undo"),
    path("let-op/<int:person_id>/", views.let_op, name="let_op"),
    path("afwezig/<int:person_id>/", views.absence, name="absence"),
    path("bereikbaar/<int:person_id>/", views.reach, name="reach"),
]
