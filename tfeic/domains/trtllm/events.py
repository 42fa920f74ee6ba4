"""KV cache events from ``/kv_cache_events``: block lifecycles and moves between cache levels.

Each event is ``{event_id, data, window_size}``; ``data.type`` is ``created``, ``stored``,
``removed`` or ``updated``. Offloading a block to host memory and onboarding it back are
``updated`` events whose ``cache_level`` diff goes 0 -> 1 (GPU primary -> host secondary) and back.
Reuse of a block that is still on the GPU emits no event at all, so from events alone reuse is
visible only as onboarding (a host block brought back because a request matched it).
Hashes are 64-bit unsigned and kept as Python ints (values above 2^63 are common); ``priority``
may be ``null``. Events are ordered by ``event_id``, which is how the directive draws time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, overload

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ._json import json_items

U64 = 1 << 64
GPU, HOST = 0, 1


@dataclass(frozen=True)
class KvEvent:
    """One event, flattened: for ``stored`` one KvEvent per stored block (they share event_id)."""

    event_id: int
    type: str  # created | stored | removed | updated
    window_size: int | None
    pos: Pos
    block_hash: int | None = None
    parent_hash: int | None = None
    tokens: tuple[int, ...] = ()
    cache_level: int | None = None  # stored: the level; updated: the new level
    old_cache_level: int | None = None
    priority: int | None = None
    blocks_per_level: tuple[int, ...] = ()  # created

    @property
    def action(self) -> str:
        """stored | offloaded | onboarded | removed | updated (priority only) | created."""
        if self.type == "updated" and self.cache_level is not None and self.old_cache_level is not None:
            if self.old_cache_level == GPU and self.cache_level != GPU:
                return "offloaded"
            if self.old_cache_level != GPU and self.cache_level == GPU:
                return "onboarded"
        return self.type


@dataclass(frozen=True)
class Lifecycle:
    """Everything that happened to one block hash, in event order: (event_id, action, level after)."""

    block_hash: int
    parent_hash: int | None
    steps: tuple[tuple[int, str, int | None], ...]

    @property
    def short(self) -> str:
        return short_hash(self.block_hash)


def short_hash(h: int) -> str:
    """The last 4 hex digits: enough to tell a slide's handful of blocks apart."""
    return f"{h:016x}"[-4:]


@dataclass(frozen=True)
class KvEvents:
    path: str
    events: tuple[KvEvent, ...]

    def count(self, action: str) -> int:
        return sum(1 for e in self.events if e.action == action)

    @property
    def stored(self) -> int:
        return self.count("stored")

    @property
    def offloaded(self) -> int:
        return self.count("offloaded")

    @property
    def onboarded(self) -> int:
        return self.count("onboarded")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def event_ids(self) -> tuple[int, ...]:
        return tuple(sorted({e.event_id for e in self.events}))

    def lifecycles(self) -> tuple[Lifecycle, ...]:
        """One lifecycle per block hash, ordered along parent chains (a root, then its children),
        roots in the order they were first stored."""
        steps: dict[int, list] = {}
        parents: dict[int, int | None] = {}
        level: dict[int, int | None] = {}
        for e in self.events:
            if e.block_hash is None:
                continue
            if e.type == "stored":
                parents.setdefault(e.block_hash, e.parent_hash)
                level[e.block_hash] = e.cache_level if e.cache_level is not None else GPU
            elif e.type == "updated" and e.cache_level is not None:
                level[e.block_hash] = e.cache_level
            elif e.type == "removed":
                level[e.block_hash] = None
            if e.action != "updated":
                steps.setdefault(e.block_hash, []).append((e.event_id, e.action, level.get(e.block_hash)))
        children: dict[int | None, list[int]] = {}
        for h in steps:
            parent = parents.get(h)
            children.setdefault(parent if parent in steps else None, []).append(h)
        ordered: list[int] = []
        stack = list(reversed(children.get(None, [])))
        while stack:  # depth first, without recursion: a prompt of 50k blocks is a chain 50k deep
            h = stack.pop()
            ordered.append(h)
            stack.extend(reversed(children.get(h, [])))
        return tuple(Lifecycle(h, parents.get(h), tuple(steps[h])) for h in ordered)


def _fail(message: str, pos: Pos) -> SourceError:
    return SourceError(Diagnostic(message, pos, hint="expected {event_id, data: {type, ...}, window_size}"))


def _hash(value, what: str, pos: Pos, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < U64:
        raise _fail(f"{what} must be a 64-bit unsigned integer, found {value!r}", pos)
    return value


@overload
def _int(value: Any, what: str, pos: Pos, nullable: Literal[False] = False) -> int: ...
@overload
def _int(value: Any, what: str, pos: Pos, nullable: bool) -> int | None: ...
def _int(value: Any, what: str, pos: Pos, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{what} must be an integer, found {value!r}", pos)
    return value


def _diff(value, what: str, pos: Pos) -> tuple[int | None, int | None]:
    """``{type: "event_diff", new_value, old_value}`` -> (new, old); absent/null -> (None, None)."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or "new_value" not in value:
        raise _fail(f"{what} must be an event_diff with new_value/old_value", pos)
    return (_int(value.get("new_value"), f"{what}.new_value", pos, True),
            _int(value.get("old_value"), f"{what}.old_value", pos, True))


def _events_of(item, pos: Pos) -> list[KvEvent]:
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        raise _fail("not a KV cache event", pos)
    eid = _int(item.get("event_id"), "event_id", pos)
    window = _int(item.get("window_size"), "window_size", pos, True)
    data = item["data"]
    kind = data.get("type")
    base = dict(event_id=eid, type=kind, window_size=window, pos=pos)
    if kind == "created":
        levels = data.get("num_blocks_per_cache_level", [])
        return [KvEvent(**base, blocks_per_level=tuple(_int(n, "num_blocks_per_cache_level", pos) for n in levels))]
    if kind == "stored":
        parent = _hash(data.get("parent_hash"), "parent_hash", pos, nullable=True)
        blocks = data.get("blocks")
        if not isinstance(blocks, list):
            raise _fail("stored event without a blocks list", pos)
        out = []
        for b in blocks:
            if not isinstance(b, dict):
                raise _fail("stored block is not an object", pos)
            tokens = tuple(_int(t.get("token_id") if isinstance(t, dict) else t, "token_id", pos) for t in b.get("tokens", []))
            h = _hash(b.get("block_hash"), "block_hash", pos)
            out.append(KvEvent(**base, block_hash=h, parent_hash=parent, tokens=tokens,
                               cache_level=_int(b.get("cache_level", GPU), "cache_level", pos, True),
                               priority=_int(b.get("priority"), "priority", pos, True)))
            parent = h  # blocks of one stored event form a chain
        return out
    if kind == "removed":
        hashes = data.get("block_hashes")
        if not isinstance(hashes, list):
            raise _fail("removed event without block_hashes", pos)
        return [KvEvent(**base, block_hash=_hash(h, "block_hashes[]", pos)) for h in hashes]
    if kind == "updated":
        new, old = _diff(data.get("cache_level"), "cache_level", pos)
        priority, _ = _diff(data.get("priority"), "priority", pos)
        return [KvEvent(**base, block_hash=_hash(data.get("block_hash"), "block_hash", pos), cache_level=new,
                        old_cache_level=old, priority=priority)]
    raise _fail(f"unknown event type {kind!r} (created, stored, removed, updated)", pos)


def parse_events(path: str, text: str) -> KvEvents:
    """A ``/kv_cache_events`` answer (a JSON array), several answers concatenated, or JSON Lines."""
    events: list[KvEvent] = []
    for item, pos in json_items(path, text):
        events.extend(_events_of(item, pos))
    events.sort(key=lambda e: e.event_id)  # stable: blocks of one event keep their order
    return KvEvents(path, tuple(events))
