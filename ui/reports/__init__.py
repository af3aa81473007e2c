"""The Reports page: audit packs with preview and save, and printing work-order sheets."""
