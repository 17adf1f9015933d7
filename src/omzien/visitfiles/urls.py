from django.urls import path

from omzien.visitfiles import views

app_name = "visitfiles"
urlpatterns = [
    path("importeren/", views.upload, name="import"),
    path("importeren/bevestigen/", views.confirm, name="confirm"),
]
