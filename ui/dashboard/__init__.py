"""The KPI dashboard: tiles with sparklines and change, charts, drill-down to work orders."""
