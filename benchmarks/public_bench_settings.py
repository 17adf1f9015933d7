"""Settings for benchmarks/public_load.py: Omzien's settings with one trivial view added.

gunicorn loads these with ``--pythonpath benchmarks`` and
``DJANGO_SETTINGS_MODULE=public_bench_settings``, so the trivial view (the baseline) runs
with exactly the middleware, database and cache the public pages run with.
"""

from omzien.config.settings import *  # noqa: F403

ROOT_URLCONF = "public_bench_urls"
