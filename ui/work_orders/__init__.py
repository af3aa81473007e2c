"""Work-order views of the desktop app: the table, the board cards and the editor."""
