"""Imports every built-in directive module so that each registers itself."""
