"""The place pages at /plekken/ (URL names places:list, places:detail, places:feed), and
the places seen from a village (places:village)."""

from django.urls import path

from omzien.agenda import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("dorp/<slug:village_slug>/", views.village_places, name="village"),
    path("<slug:slug>/", views.place_detail, name="detail"),
    path("<slug:slug>/agenda.ics", views.place_feed, name="feed"),
]
