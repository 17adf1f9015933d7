from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from omzien.agenda.views import home, network_feed
from omzien.visiting.views import feed as open_days_feed

admin.site.site_header = "Omzien"
admin.site.site_title = "Omzien"

urlpatterns = [
    path("", home, name="home"),
    path("agenda/", include("omzien.agenda.urls")),
    path("agenda.ics", network_feed, name="feed"),
    path("plekken/", include("omzien.agenda.place_urls")),
    # The language switch only sets a cookie, so it needs no CSRF token: the public
    # pages that carry the switch can then be cached and shared between visitors.
    path("taal/", csrf_exempt(set_language), name="set_language"),
    path("", include("omzien.accounts.urls")),
    path("account/passkey/", include("omzien.accounts.passkey_urls")),
    path("deur/", include("omzien.attendance.urls")),
    path("overzicht/", include("omzien.reports.urls")),
    path("signalen/", include("omzien.signals.urls")),
    path("bestanden/", include("omzien.visitfiles.urls")),
    path("planning/", include("omzien.agenda.planning_urls")),
    path("dubbele-bezoekers/", include("omzien.privacy.urls")),
    path("persoonsgegevens/", include("omzien.privacy.rights_urls")),
    path("hulp/beheer/", include("omzien.helping.manage_urls")),
    path("hulp/", include("omzien.helping.urls")),
    path("plannen/beheer/", include("omzien.proposals.manage_urls")),
    path("plannen/", include("omzien.proposals.urls")),
    path("open-dagen/", include("omzien.visiting.urls")),
    path("open-dagen.ics", open_days_feed, name="open_days_feed"),
    path("bezoeken/", include("omzien.visiting.manage_urls")),
    path("dorpenplatform/", include("omzien.villageplatform.urls")),
    path("vragenlijst/", include("omzien.wellbeing.urls")),
    path("v/", include("omzien.wellbeing.link_urls")),
    path("api-sleutels/", include("omzien.api.page_urls")),
    path("api/v1/", include(("omzien.api.urls", "api"), namespace="api")),
    path("beheer/", admin.site.urls),
]
