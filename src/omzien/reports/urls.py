from django.urls import path

from omzien.reports import export_views, story_views, views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("grafiek/<slug:kind>.svg", views.chart, name="chart"),
    path("rapportage.xlsx", export_views.impact_xlsx, name="impact_xlsx"),
    path("verhalen/", story_views.story_list, name="stories"),
    path("verhalen/<slug:place_slug>/", story_views.story_edit, name="story"),
    path("rapportage/", views.impact, name="impact"),
    path("rapportage/grafiek/<slug:section>.svg", views.impact_chart, name="impact_chart"),
    path("rapportage.pdf", views.impact_pdf, name="impact_pdf"),
    path("verbinding/", views.network, name="network"),
]
