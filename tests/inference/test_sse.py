"""The SSE parser: tolerant of real servers' framing, strict about frames that are not JSON."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from tfeic.core.diagnostics import SourceError
from tfeic.domains.inference.sse import SseParser

STREAM = (
    b": keep-alive\n\n"
    b'data: {"a": 1} \n\n'                     # trtllm-serve: a space before the blank line
    b'event: message\r\nid: 7\r\ndata:{"b":2}\r\n\r\n'  # CRLF, no space after the colon, id/event lines
    b'data: {"c":\ndata: 3}\n\n'                # one JSON value over two data lines
    b"retry: 10\n"
    b'error: {"message": "boom"}\n\n'           # llama.cpp's error line
    b"data: [DONE]\n\n"
)


def parse(chunks) -> list:
    parser = SseParser()
    events = [e for c in chunks for e in parser.feed(c)]
    return events + parser.close()


def test_real_server_framing_is_accepted():
    events = parse([STREAM])
    assert [(e.event, e.data) for e in events] == [
        ("message", {"a": 1}), ("message", {"b": 2}), ("message", {"c": 3}),
        ("error", {"message": "boom"}), ("message", None)]
    assert events[-1].done and [e.index for e in events] == [1, 2, 3, 4, 5]


@given(st.lists(st.integers(min_value=1, max_value=len(STREAM) - 1), max_size=12))
def test_chunk_boundaries_do_not_matter(cuts):
    cuts = sorted(set(cuts))
    chunks = [STREAM[a:b] for a, b in zip([0, *cuts], [*cuts, len(STREAM)])]
    assert parse(chunks) == parse([STREAM])


def test_a_last_frame_without_blank_line_still_counts():
    assert [e.data for e in parse([b'data: {"x": 1}'])] == [{"x": 1}]


def test_invalid_utf8_is_replaced_visibly_not_fatal():
    [event] = parse([b'data: {"t": "a\xffb"}\n\n'])
    assert event.data == {"t": "a\ufffdb"}


@pytest.mark.parametrize("frame, words", [
    (b'data: {"choices": [\n\n', "not JSON"),
    (b"data: [1, 2]\n\n", "expected a JSON object"),
])
def test_malformed_frame_is_a_source_error(frame, words):
    with pytest.raises(SourceError) as e:
        parse([b'data: {"ok": 1}\n\n' + frame])
    assert "malformed stream frame #2" in str(e.value) and words in str(e.value)
