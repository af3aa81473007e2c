"""Spare parts: stock, reservations, purchasing, imports of the store room."""
