"""Work orders and what hangs on them: checklists, lock-out, stops, requests, handovers."""
