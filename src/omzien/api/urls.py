"""The API at /api/v1/: ninja's URLs, each answering in the request's language with
problems (api.problems), and a 404 problem for any other address under it."""

from django.urls import re_path

from omzien.api.endpoints import api
from omzien.api.problems import in_api_language, not_found

patterns, app_name, namespace = api.urls
for pattern in patterns:
    pattern.callback = in_api_language(pattern.callback)

urlpatterns = [
    *patterns,
    re_path(r"^(?P<rest>.*)$", in_api_language(not_found), name="not_found"),
]
