from django.urls import path

from omzien.privacy import rights_views as views

app_name = "privacy_rights"
urlpatterns = [
    path("", views.find_person, name="people"),
    path("auditlog/", views.audit_log, name="audit_log"),
    path("<int:person_id>/", views.person, name="person"),
    path("<int:person_id>/inzage.pdf", views.access_pdf, name="access_pdf"),
    path("<int:person_id>/inzage.json", views.access_json, name="access_json"),
    path("<int:person_id>/eigen-antwoorden/", views.own_answers_link, name="own_answers_link"),
    path("<int:person_id>/wijzigen/", views.rectify, name="rectify"),
    path("<int:person_id>/beperken/", views.restrict, name="restrict"),
    path("<int:person_id>/beperking-opheffen/", views.lift, name="lift"),
    path("<int:person_id>/wissen/", views.erase, name="erase"),
]
