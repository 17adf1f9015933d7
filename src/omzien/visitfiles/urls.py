from django.urls import path

from omzien.visitfiles import views

app_name = "visitfiles"
urlpatterns = [
    path("importeren/", views.upload, name="import"),
    path("importeren/bevestigen/", views.confirm, name="confirm"),
    path("importeren/voorbeeld.csv", views.template_csv, name="template_csv"),
    path("importeren/voorbeeld.xlsx", views.template_xlsx, name="template_xlsx"),
]
