"""The demo's mail backend: mails printed to standard error.

Django's console backend prints to standard output, where ``omzien signals --format
json`` writes its JSON; a mail sent during that run would make the JSON unreadable.
"""

import sys

from django.core.mail.backends import console


class StderrEmailBackend(console.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
