"""Wrenchbook engine: Qt-free domain, storage and services."""
