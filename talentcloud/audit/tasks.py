from .chain import audit_seal


def audit_seal_job() -> None:
    """Periodic: link new audit events into the hash chain."""
    audit_seal()
