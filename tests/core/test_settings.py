"""Settings come from the environment: safe for the demo, strict in production."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from omzien.config.env import env_bool, env_int, env_list

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS)"
)


def run_settings(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "OMZIEN_ENV"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="omzien.config.settings", OMZIEN_DATA_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_demo_defaults_to_sqlite_in_the_data_dir(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.sqlite3", "False"]
    assert (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_settings(tmp_path, OMZIEN_ENV="production", ALLOWED_HOSTS="omzien.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_settings(tmp_path, OMZIEN_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_is_strict(tmp_path):
    result = run_settings(
        tmp_path,
        OMZIEN_ENV="production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="omzien.example",
        DATABASE_URL="postgres://omzien@db.example/omzien",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "['omzien.example']"]


def test_production_passes_the_deploy_checks_without_a_warning(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.
        if key
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "OMZIEN_ENV",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        OMZIEN_ENV="production",
        SECRET_KEY="k3y-" + "x7Q9" * 12,
        ALLOWED_HOSTS="omzien.example",
        OMZIEN_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "omzien", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identified no issues" in result.stdout, result.stdout + result.stderr


def test_unknown_environment_name_is_refused(tmp_path):
    result = run_settings(tmp_path, OMZIEN_ENV="staging")
    assert "OMZIEN_ENV must be demo or production" in result.stderr


def test_env_helpers_read_strictly(monkeypatch):
    monkeypatch.setenv("OMZIEN_FLAG", "ja")
    with pytest.raises(ImproperlyConfigured, match="OMZIEN_FLAG must be true or false"):
        env_bool("OMZIEN_FLAG", False)
    monkeypatch.setenv("OMZIEN_FLAG", "Yes")
    assert env_bool("OMZIEN_FLAG", False) is True
    monkeypatch.setenv("OMZIEN_WEEKS", "twee")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("OMZIEN_WEEKS", 2)
    monkeypatch.setenv("OMZIEN_HOSTS", " a.example, ,b.example ")
    assert env_list("OMZIEN_HOSTS", []) == ["a.example", "b.example"]
    assert env_list("OMZIEN_MISSING", ["x"]) == ["x"]


PRINT_CACHE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.CACHES['default']))"
)


def cache_settings(tmp_path, **env):
    environment = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="omzien.config.settings", OMZIEN_DATA_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_CACHE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("cache_url", "backend", "location"),
    [
        (None, "filebased.FileBasedCache", "{data}/cache"),
        ("redis://127.0.0.1:6379/1", "redis.RedisCache", "redis://127.0.0.1:6379/1"),
        ("rediss://cache.example:6380/0", "redis.RedisCache", "rediss://cache.example:6380/0"),
        ("file:///srv/omzien/cache", "filebased.FileBasedCache", "/srv/omzien/cache"),
        ("locmem://", "locmem.LocMemCache", ""),
        ("dummy://", "dummy.DummyCache", None),
    ],
)
def test_the_cache_comes_from_cache_url(tmp_path, cache_url, backend, location):
    env = {"CACHE_URL": cache_url} if cache_url else {}
    result = cache_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    if location is not None:
        assert config["LOCATION"] == location.format(data=tmp_path.resolve())


@pytest.mark.parametrize("cache_url", ["memcached://127.0.0.1:11211", "redis", "file://"])
def test_an_unknown_cache_url_is_refused(tmp_path, cache_url):
    result = cache_settings(tmp_path, CACHE_URL=cache_url)
    assert result.returncode != 0
    assert "CACHE_URL must start with" in result.stderr


def test_the_demo_cache_is_shared_by_processes(tmp_path):
    """The default cache lives in the data folder: what one process stores, another sees."""
    script = (
        "import django, sys; django.setup(); from django.core.cache import cache; "
        "print(cache.get('shared')) if sys.argv[1] == 'get' else cache.set('shared', 'ja')"
    )
    environment = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="omzien.config.settings", OMZIEN_DATA_DIR=str(tmp_path)
    )
    for mode in ("set", "get"):
        result = subprocess.run(
            [sys.executable, "-c", script, mode],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ja"
