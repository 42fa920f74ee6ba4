"""The bench domain: the slide directives it registers (the expand stage loads every module here; see tfeic/directives/__init__.py for the contract)."""
