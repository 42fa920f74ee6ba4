"""Paths shared by the KV tests: fixtures live in ../shared next to the repository, never copied in."""

import os

REPO = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.normpath(os.path.join(REPO, "..", "shared", "fixtures", "trtllm"))
EXABYTE = os.path.join(REPO, "decks", "data", "exabyte")
