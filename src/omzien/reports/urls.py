from django.urls import path

from omzien.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("grafiek/<slug:kind>.svg", views.chart, name="chart"),
]
