"""Backing up and restoring the whole database (``omzien backup`` / ``omzien restore``)."""

import importlib.metadata
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.backups import engines
from omzien.backups.archive import (
    DUMP_NAMES,
    SUFFIX,
    BackupError,
    Manifest,
    read_archive,
    sha256_of,
    write_archive,
)

Progress = Callable[[str], None]
DUMPERS = {"sqlite": engines.dump_sqlite, "postgresql": engines.dump_postgres}
LOADERS = {"sqlite": engines.load_sqlite, "postgresql": engines.load_postgres}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    seconds: float
    removed: list[Path]


def _vendor() -> str:
    if connection.vendor not in DUMPERS:
        raise BackupError(
            _("Backups work with SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _omzien_version() -> str:
    try:
        return importlib.metadata.version("omzien")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def create_backup(target: Path, *, keep: int | None = None, progress: Progress = print):
    """Write a consistent snapshot of the database to ``target`` (a tar.gz archive)."""
    target = Path(target).resolve()
    if keep is not None and (keep < 1 or not target.name.endswith(SUFFIX)):
        raise BackupError(
            _("--keep needs a number of at least 1 and a file name ending in %(suffix)s.")
            % {"suffix": SUFFIX}
        )
    if not target.parent.is_dir():
        raise BackupError(_("The folder '%(path)s' does not exist.") % {"path": target.parent})
    vendor = _vendor()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="omzien-backup-", dir=target.parent) as folder:
        dump = Path(folder) / DUMP_NAMES[vendor]
        progress(_("Copying the %(vendor)s database ...") % {"vendor": vendor})
        migrations = DUMPERS[vendor](dump)
        size = dump.stat().st_size
        progress(_("Copied %(size)s bytes; writing %(path)s ...") % {"size": size, "path": target})
        manifest = Manifest(
            vendor=vendor,
            omzien_version=_omzien_version(),
            created_at=timezone.now().isoformat(timespec="seconds"),
            migrations=migrations,
            dump_name=dump.name,
            dump_sha256=sha256_of(dump),
            dump_bytes=size,
        )
        write_archive(target, manifest, dump)
    removed = prune_backups(target, keep) if keep else []
    for path in removed:
        progress(_("Removed the old backup %(path)s.") % {"path": path})
    return BackupResult(target, target.stat().st_size, time.monotonic() - started, removed)


def prune_backups(newest: Path, keep: int) -> list[Path]:
    """Keep ``newest`` and the ``keep - 1`` newest other backups (``*.omzien-backup``)
    of its folder; remove the rest. Other files in the folder are left alone."""
    others = sorted(
        (
            path
            for path in newest.parent.iterdir()
            if path.name.endswith(SUFFIX) and path.is_file() and path != newest
        ),
        key=lambda path: (path.stat().st_mtime, path.name),
        reverse=True,
    )
    removed = others[keep - 1 :]
    for path in removed:
        path.unlink()
    return removed


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup, checked as a whole (dump included)."""
    with tempfile.TemporaryDirectory(prefix="omzien-restore-") as folder:
        manifest, _dump = read_archive(Path(path), Path(folder))
    return manifest


def check_restorable(manifest: Manifest) -> None:
    """Refuse a backup of another vendor or of a newer schema than this code knows."""
    vendor = _vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            _(
                "This backup is of a %(backup)s database and Omzien uses %(vendor)s here: "
                "nothing was changed."
            )
            % {"backup": manifest.vendor, "vendor": vendor}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "This backup comes from a newer Omzien (version %(version)s): this version "
                "does not know its migrations %(migrations)s. Install that version or a "
                "newer one to restore it; nothing was changed."
            )
            % {"version": manifest.omzien_version, "migrations": ", ".join(unknown[:5])}
        )


def restore_backup(path: Path, *, confirm: Callable[[Manifest], bool], progress: Progress = print):
    """Replace every table with the backup's; False when ``confirm`` says no.

    The file is checked whole (archive, checksum, dump) and against this code's schema
    before anything changes. Run ``migrate`` afterwards for a backup of an older schema.
    """
    with tempfile.TemporaryDirectory(prefix="omzien-restore-") as folder:
        progress(_("Checking %(path)s ...") % {"path": path})
        manifest, dump = read_archive(Path(path), Path(folder))
        check_restorable(manifest)
        if not confirm(manifest):
            return False
        progress(_("Restoring the database ..."))
        LOADERS[manifest.vendor](dump)
    ContentType.objects.clear_cache()
    cache.clear()  # the public pages of the data that was replaced
    return True
