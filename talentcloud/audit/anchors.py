"""Anchors: the chain head (seq, hash, time) written outside the database, where its owner cannot write.

``FileAnchorStore`` appends one JSON line per anchor to a file meant for another volume (a WORM mount, or a
folder only the application's account may append to), fsynced. ``TALENTCLOUD_AUDIT_ANCHOR_SYSLOG`` also sends
each anchor to the system log (a remote log server keeps its own copy; it is not read back).

``audit_anchor`` runs after sealing (the ``audit_seal`` job) and writes an anchor when the last one is older
than ``AUDIT_ANCHOR_INTERVAL_SECONDS``. ``audit verify`` then checks that every anchored (seq, hash) is still
in the chain with that hash, and that the chain does not end before the last anchor (a deleted tail). Events
sealed after the last anchor are not yet protected this way: the interval is that window (docs/operations.md).
"""

from __future__ import annotations

import json
import os
import syslog
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditSeal


class AnchorError(Exception):
    pass


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: datetime
    key_id: str = ""
    line: int = 0

    def to_line(self) -> bytes:
        record = {"seq": self.seq, "hash": self.hash, "at": self.at.isoformat(), "key": self.key_id}
        return (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _parse(text: str, number: int) -> Anchor:
    try:
        record = json.loads(text)
        return Anchor(
            seq=int(record["seq"]),
            hash=str(record["hash"]),
            at=datetime.fromisoformat(record["at"]),
            key_id=str(record.get("key", "")),
            line=number,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorError(f"anchor line {number} is unreadable: {text[:80]!r}") from exc


class FileAnchorStore:
    """An append-only file of anchors, one JSON line each."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def append(self, anchor: Anchor) -> None:
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, anchor.to_line())  # one write of one short line: atomic with O_APPEND
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def read(self) -> list[Anchor]:
        """Every anchor, in the order written. A last line without its newline (a write cut short by a crash)
        is skipped; any other unreadable line is an error."""
        if not self.path.exists():
            return []
        anchors = []
        with self.path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                if not raw.endswith(b"\n"):
                    break
                text = raw.decode(errors="replace").strip()
                if text:
                    anchors.append(_parse(text, number))
        return anchors

    def last(self) -> Anchor | None:
        """The newest anchor, read from the end of the file (the file grows by a line per interval)."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 4096))
            tail = f.read()
        lines = [line for line in tail.split(b"\n")[:-1] if line.strip()]
        if not lines:
            return None
        return _parse(lines[-1].decode(errors="replace"), 0)


def anchor_store() -> FileAnchorStore | None:
    """The configured store, or None when anchoring is off (``TALENTCLOUD_AUDIT_ANCHOR_PATH`` unset)."""
    path = settings.AUDIT_ANCHOR_PATH
    return FileAnchorStore(path) if path else None


def audit_anchor(*, force: bool = False) -> Anchor | None:
    """Write the chain head as an anchor if the interval has passed (or ``force``); returns it, or None."""
    store = anchor_store()
    if store is None:
        return None
    head = AuditSeal.objects.order_by("-seq").first()
    if head is None:
        return None
    now = timezone.now()
    if not force:
        last = store.last()
        if last is not None and now - last.at < timedelta(seconds=settings.AUDIT_ANCHOR_INTERVAL_SECONDS):
            return None
    anchor = Anchor(seq=head.seq, hash=head.hash, at=now, key_id=head.key_id)
    store.append(anchor)
    if settings.AUDIT_ANCHOR_SYSLOG:
        syslog.openlog("talentcloud", 0, syslog.LOG_AUTHPRIV)
        syslog.syslog(
            syslog.LOG_NOTICE, f"audit anchor seq={anchor.seq} hash={anchor.hash} at={anchor.at.isoformat()}"
        )
    return anchor
