"""The upload page's writes: the pending-upload store and the imports it starts.

A coordinator uploads a visit file; it is checked (a dry run) and, when every row is
right, kept in ``OMZIEN_VISIT_UPLOAD_DIR`` under a random token that belongs to that user,
so "Import" needs no second upload. A token works for its own user only (another user's
token is refused exactly like an unknown one), once, and for a day.

Every function takes ``acting_user`` and refuses users who manage no place
(PermissionDenied). Only the import touches the database: ``importing.import_visits``
writes in one transaction, rolled back for a dry run, and records the import (the user,
the file, the counts) in the audit log inside it; a confirmation is such an import. The
reading and checking happen before that transaction, so a long file never holds the
database's write lock while it is read; so this module opens no transaction around it.
Whatever goes wrong, no uploaded file stays behind except a kept one.
"""

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.visitfiles.formats import EXTENSIONS
from omzien.visitfiles.importing import ImportResult, import_visits

KEEP_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24)
_TAKEN = ".taken"


@dataclass(frozen=True)
class PendingUpload:
    """A file in the store: its token, where it lies, and the name it was uploaded with."""

    token: str
    path: Path
    name: str


def _require_manager(acting_user) -> None:
    if not permissions.can(acting_user, Capability.MANAGE_PLACE):
        raise PermissionDenied(_("Only coordinators can import visit files."))


def upload_folder() -> Path:
    folder = Path(settings.OMZIEN_VISIT_UPLOAD_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(folder: Path, acting_user, token: str, suffix: str) -> Path:
    return folder / f"{acting_user.pk}-{token}{suffix}"


def remove_expired_uploads() -> int:
    """Delete the files kept longer than a day (also ones an interrupted import left)."""
    limit = time.time() - KEEP_SECONDS
    removed = 0
    for path in upload_folder().glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another request removed it meanwhile
            continue
    return removed


def keep_upload(upload, *, acting_user) -> PendingUpload:
    """Write an uploaded file (a Django UploadedFile) into the store under a new token."""
    _require_manager(acting_user)
    folder = upload_folder()
    remove_expired_uploads()
    token = secrets.token_urlsafe(24)
    path = _path(folder, acting_user, token, Path(upload.name).suffix.lower())
    try:
        with path.open("xb") as file:
            path.chmod(0o600)
            for chunk in upload.chunks():
                file.write(chunk)
        # Expiry compares the file's time with time.time(): set it from the same clock
        # (the file system's own clock may differ, e.g. on a network disk or under test).
        now = time.time()
        os.utime(path, (now, now))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return PendingUpload(token=token, path=path, name=upload.name)


def take_upload(token: str, *, acting_user, name: str | None = None) -> PendingUpload | None:
    """Take acting_user's kept file with this token out of the store, for one use.

    None for a token that is malformed, unknown, expired, used, or another user's. The
    file is renamed first (atomic), so two confirmations at once cannot both take it;
    the caller deletes it with ``discard_upload`` when done.
    """
    _require_manager(acting_user)
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    folder = upload_folder()
    for suffix in EXTENSIONS:
        path = _path(folder, acting_user, token, suffix)
        taken = path.with_name(path.stem + _TAKEN + suffix)
        try:
            os.rename(path, taken)
        except FileNotFoundError:
            continue
        if taken.stat().st_mtime < time.time() - KEEP_SECONDS:
            taken.unlink(missing_ok=True)
            return None
        return PendingUpload(token=token, path=taken, name=name or f"{token}{suffix}")
    return None


def discard_upload(pending: PendingUpload, *, acting_user) -> None:
    """Delete a file from the store (kept or taken)."""
    _require_manager(acting_user)
    pending.path.unlink(missing_ok=True)


def check_upload(upload, *, acting_user, dry_run: bool = True):
    """Check an uploaded visit file (dry run) or import it straight away.

    Returns (ImportResult, PendingUpload or None): a dry run without problems keeps the
    file for ``confirm_upload``; in every other case, an exception included, the file is
    gone afterwards. Only rows of places the user manages are accepted. A dry run writes
    nothing, not even to the audit log; an import records itself there.
    """
    _require_manager(acting_user)
    pending = keep_upload(upload, acting_user=acting_user)
    kept = None
    try:
        result = import_visits(
            pending.path, dry_run=dry_run, acting_user=acting_user, name=upload.name
        )
        if result.ok and dry_run:
            kept = pending
    finally:
        if kept is None:
            pending.path.unlink(missing_ok=True)
    return result, kept


def confirm_upload(token: str, *, acting_user, name: str | None = None) -> ImportResult | None:
    """Import the file acting_user checked a moment ago; None when the token is not
    (or no longer) theirs. The import writes its own audit record; the file is deleted
    whatever the outcome."""
    _require_manager(acting_user)
    pending = take_upload(token, acting_user=acting_user, name=name)
    if pending is None:
        return None
    try:
        return import_visits(pending.path, acting_user=acting_user, name=pending.name)
    finally:
        discard_upload(pending, acting_user=acting_user)
