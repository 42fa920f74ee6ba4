"""The Redactor: every form a secret comes back in is replaced, also across stream frames and before
a message is cut; URLs lose their credentials; a key unfit for a header is refused by position."""

from __future__ import annotations

import base64
import json

import pytest

from tfeic.core.diagnostics import Diagnostic, SourceError
from tfeic.domains.inference.client import excerpt
from tfeic.domains.inference.secrets import REDACTED, Redactor, header_safe_key, strip_url_credentials

KEY = "sk-Zq9/+é=&x"


@pytest.mark.parametrize("form", [
    KEY, KEY + "\r\n", "sk-Zq9%2F%2B%C3%A9%3D%26x", "sk-Zq9/+\\u00e9=&x",
])
def test_every_form_of_the_key_is_redacted(form):
    text = Redactor([KEY]).text(f"<{form}>")
    assert text.startswith(f"<{REDACTED}") and "Zq9" not in text


def test_basic_auth_of_a_url_is_redacted():
    pair = base64.b64encode(b"bot:p@ss w").decode()
    redactor = Redactor.for_request("https://bot:p%40ss%20w@example.org/v1")
    assert redactor.text(f"Basic {pair}; password p@ss w; typed p%40ss%20w") == (
        f"Basic {REDACTED}; password {REDACTED}; typed {REDACTED}")


def test_a_key_split_over_frames_is_redacted_where_it_starts():
    pieces = ["the key ", KEY[:4], KEY[4:9], KEY[9:] + " and", " done"]
    out = Redactor([KEY]).pieces(pieces)
    assert out == ["the key ", REDACTED, "", " and", " done"]
    assert Redactor([KEY]).pieces(["no", " secret"]) == ["no", " secret"]


def test_an_excerpt_is_redacted_before_it_is_cut():
    text = "x" * 195 + KEY
    assert excerpt(text, Redactor([KEY]), 200) == "x" * 195 + REDACTED[:5]
    assert excerpt(json.dumps({"m": "\x1b[31m"}), Redactor(), 200) == '{"m": "\\u001b[31m"}'
    assert excerpt("\x1b[31mred", Redactor(), 200) == "\\x1b[31mred"


def test_errors_are_redacted_message_and_hint():
    error = Redactor([KEY]).error(SourceError(Diagnostic(f"said {KEY}", hint=f"try {KEY}")))
    assert [(d.message, d.hint) for d in error.diagnostics] == [(f"said {REDACTED}", f"try {REDACTED}")]


def test_url_credentials_are_stripped_from_a_command_line():
    assert strip_url_credentials("--server=http://u:p@ss@h:8/v1 --set a.url=HTTPS://tok@x/y?q=a@b") == (
        "--server=http://h:8/v1 --set a.url=HTTPS://x/y?q=a@b")


@pytest.mark.parametrize("value,position", [("sk-\x00a", 4), ("\tsk-ab\u00a0c\n", 6), ("sk\x7f", 3)])
def test_header_unsafe_key_is_refused_by_position(value, position):
    with pytest.raises(SourceError) as e:
        header_safe_key(value, "K", None)
    message = e.value.diagnostics[0].message
    assert message == f"the API key in $K holds a character not allowed in an HTTP header (position {position})"


def test_surrounding_whitespace_is_stripped():
    assert header_safe_key("  sk-ok \r\n", "K", None) == "sk-ok"
