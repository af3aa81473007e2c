"""The inventory panel: parts and stock, the ledger, movements, requisitions and orders."""
