from django.db import transaction

from .anchors import audit_anchor
from .chain import audit_seal


def audit_seal_job() -> None:
    """Periodic: link new audit events into the hash chain, then anchor its head outside the database when
    the anchoring interval has passed. The anchor is written once the seals are committed (the scheduler runs
    a job inside a transaction), so it never names a seal that is not there for everyone to see."""
    audit_seal()
    transaction.on_commit(audit_anchor)
