"""The scratch app's audit action names (the audit registry)."""

AUDIT_ACTIONS = {"scratch.poke": "Poked the scratch app"}
