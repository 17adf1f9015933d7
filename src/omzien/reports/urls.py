from django.urls import path

from omzien.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("grafiek/<slug:kind>.svg", views.chart, name="chart"),
    path("rapportage/", views.impact, name="impact"),
    path("rapportage/grafiek/<slug:section>.svg", views.impact_chart, name="impact_chart"),
    path("rapportage.pdf", views.impact_pdf, name="impact_pdf"),
]
