"""Error pages Django does not render from a template of its own."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (often one left open too long): the site's
    Dutch 403 page that says so, instead of Django's English one."""
    return render(request, "403_csrf.html", status=403)
