"""The inference domain: its commands: each module with add_parser(subparsers) adds one (tfeic/cli/__init__.py loads them)."""
