import pytest

from desktop.services.shared import audit

pytestmark = pytest.mark.both_engines  # one end-to-end pass per engine


def test_fresh_database_has_a_valid_audit_chain(db):
    result = audit.verify(db)
    assert result.ok, result.describe()
    assert result.entries > 5
