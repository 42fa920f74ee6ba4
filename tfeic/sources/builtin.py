"""Imports every built-in source module so that each registers itself."""
