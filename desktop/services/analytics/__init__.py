"""Figures read from the records: KPIs, reliability, asset history, exports, the control room."""
