"""The Setup page: the records a maintenance office keeps up, each with its form (issue 18)."""
