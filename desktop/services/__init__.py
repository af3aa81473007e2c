"""Use cases: every rule, permission and audit entry lives here."""
