"""Dialogs for the plant connection: mapping a server's tags to assets."""
