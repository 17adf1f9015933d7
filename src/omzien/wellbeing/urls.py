from django.urls import path

from omzien.wellbeing import views

app_name = "wellbeing"
urlpatterns = [
    path("<int:session_id>/<int:person_id>/", views.start, name="start"),
    path("<int:session_id>/<int:person_id>/papier/", views.paper_entry, name="paper_entry"),
    path("vraag/<str:token>/<int:number>/", views.question, name="question"),
    path("klaar/<str:token>/", views.finish, name="finish"),
    path("link/<str:token>/", views.link, name="link"),
    path("bedankt/", views.thanks, name="thanks"),
    path("herhalingen/", views.repeats_due, name="repeats_due"),
    path("formulier/vragenlijst.pdf", views.paper_pdf, name="paper_pdf"),
]
