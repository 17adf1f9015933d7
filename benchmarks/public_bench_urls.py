"""Omzien's URLs plus one trivial view, the baseline of benchmarks/public_load.py."""

from django.http import HttpResponse
from django.urls import path

from omzien.config.urls import urlpatterns as omzien_urlpatterns


def trivial(request):
    """What Django costs without Omzien's work: the same middleware, no query, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *omzien_urlpatterns]
