"""The staff pages of proposed activities at /plannen/beheer/ (namespace ``proposals``)."""

from django.urls import path

from omzien.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("noteren/", views.record, name="record"),
    path("<int:proposal_id>/", views.staff_detail, name="detail"),
    path("<int:proposal_id>/goedkeuren/", views.approve, name="approve"),
    path("<int:proposal_id>/afwijzen/", views.reject, name="reject"),
    path("<int:proposal_id>/activiteit/", views.start_activity, name="start_activity"),
]
