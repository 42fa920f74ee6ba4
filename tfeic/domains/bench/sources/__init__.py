"""The bench domain: the sources it registers (the resolve stage loads every module here; see tfeic/sources/__init__.py for the contract)."""
