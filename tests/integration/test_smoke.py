from desktop.services import audit


def test_fresh_database_has_a_valid_audit_chain(db):
    result = audit.verify(db)
    assert result.ok, result.describe()
    assert result.entries > 5
