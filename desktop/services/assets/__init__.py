"""The asset hierarchy, meters and the site calendar."""
