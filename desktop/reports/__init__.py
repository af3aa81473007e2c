"""PDF reports built with ReportLab: printed work-order sheets and compliance audit packs."""
