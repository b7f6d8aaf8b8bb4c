from .anchors import audit_anchor
from .chain import audit_seal


def audit_seal_job() -> None:
    """Periodic: link new audit events into the hash chain, then anchor its head outside the database when
    the anchoring interval has passed."""
    audit_seal()
    audit_anchor()
