"""Pure domain rules: enums, the lifecycle table, value objects."""
