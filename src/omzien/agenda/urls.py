from django.urls import path

from omzien.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.week_agenda, name="week"),
    path("<slug:place_slug>/<slug:slug>/", views.activity_detail, name="activity"),
]
