"""Paths shared by the KV tests: real fixtures live in tests/fixtures."""

import os

REPO = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.normpath(os.path.join(REPO, "tests", "fixtures", "trtllm"))
EXABYTE = os.path.join(REPO, "decks", "data", "exabyte")
