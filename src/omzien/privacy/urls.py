from django.urls import path

from omzien.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.duplicates, name="duplicates"),
    path("<int:person_id>/<int:other_id>/", views.compare, name="compare"),
    path("<int:person_id>/<int:other_id>/samenvoegen/", views.merge, name="merge"),
    path("ongedaan/<int:merge_id>/", views.undo, name="undo"),
]
