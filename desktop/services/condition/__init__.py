"""Condition monitoring: tags, rules, alarms, OPC UA discovery."""
