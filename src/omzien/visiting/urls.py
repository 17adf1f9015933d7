"""The public calendar of open days at /open-dagen/ (namespace ``open_days``)."""

from django.urls import path

from omzien.visiting import views

app_name = "open_days"
urlpatterns = [
    path("", views.open_days, name="list"),
    path("<int:invitation_id>/", views.public_detail, name="detail"),
]
