"""How many wrong log-ins lock an account, and for how long: one policy, two enforcers.

The services apply it on every engine; on PostgreSQL the security-definer function
`wb_login_failed` (desktop.store.db_roles) applies the same numbers with the server's clock,
so a person with their own database login can neither lift a lock nor date one wrongly.
"""

from __future__ import annotations

from datetime import timedelta

# Five wrong tries then a quarter of an hour: a typo-prone person is barely slowed, while a
# 4-digit PIN (10,000 choices) would take guessers about three weeks per account.
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
