"""The backup file: a tar archive with ``manifest.json`` and the database's dump.

The manifest says what the dump is (database vendor, Omzien version, the applied
migrations per app, when it was made) and holds the dump's SHA-256, so a truncated or
altered file is refused before anything in the database changes.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

FORMAT = "omzien-backup"
FORMAT_VERSION = 1
SUFFIX = ".omzien-backup"
MANIFEST_NAME = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    omzien_version: str
    created_at: str
    migrations: dict[str, list[str]]
    dump_name: str
    dump_sha256: str
    dump_bytes: int

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "vendor": self.vendor,
                "omzien_version": self.omzien_version,
                "created_at": self.created_at,
                "migrations": self.migrations,
                "dump": {
                    "name": self.dump_name,
                    "sha256": self.dump_sha256,
                    "bytes": self.dump_bytes,
                },
            },
            indent=2,
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
                raise ValueError("format")
            dump = raw["dump"]
            return cls(
                vendor=str(raw["vendor"]),
                omzien_version=str(raw["omzien_version"]),
                created_at=str(raw["created_at"]),
                migrations={
                    str(app): [str(name) for name in names]
                    for app, names in raw["migrations"].items()
                },
                dump_name=str(dump["name"]),
                dump_sha256=str(dump["sha256"]),
                dump_bytes=int(dump["bytes"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError(not_a_backup_message()) from None


def not_a_backup_message() -> str:
    return _("This file is not an Omzien backup, or it is damaged (truncated?).")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(target: Path, manifest: Manifest, dump: Path) -> None:
    """Write the archive next to ``target`` and move it in place: never half a file."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".partial")
    os.close(handle)
    try:
        with tarfile.open(temporary, "w:gz") as archive:
            data = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(data)
            info.mtime = int(os.path.getmtime(dump))
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=manifest.dump_name, recursive=False)
        os.chmod(temporary, 0o600)  # the dump holds personal data
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_archive(path: Path, folder: Path) -> tuple[Manifest, Path]:
    """Check the archive and unpack its dump into ``folder``; raise BackupError if bad."""
    try:
        with tarfile.open(path, "r:*") as archive:
            manifest = Manifest.from_json(_member_bytes(archive, MANIFEST_NAME))
            if manifest.dump_name not in DUMP_NAMES.values():
                raise BackupError(not_a_backup_message())
            dump = folder / manifest.dump_name
            member = archive.getmember(manifest.dump_name)
            if not member.isfile():
                raise BackupError(not_a_backup_message())
            source = archive.extractfile(member)
            with source, open(dump, "wb") as target:
                for block in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(block)
    except FileNotFoundError:
        raise BackupError(_("The file '%(path)s' does not exist.") % {"path": path}) from None
    except (tarfile.TarError, EOFError, OSError, KeyError, UnicodeDecodeError):
        raise BackupError(not_a_backup_message()) from None
    if dump.stat().st_size != manifest.dump_bytes or sha256_of(dump) != manifest.dump_sha256:
        raise BackupError(not_a_backup_message())
    return manifest, dump


def _member_bytes(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.getmember(name)
    if not member.isfile() or member.size > 10 * 1024 * 1024:
        raise BackupError(not_a_backup_message())
    return archive.extractfile(member).read()
