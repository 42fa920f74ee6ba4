"""YAML loading that remembers where every value came from.

PyYAML's constructor forgets positions, allows duplicate keys silently and expands aliases without
bound. So we only let PyYAML *compose* (parse into nodes with marks) and convert the node graph
ourselves: plain Python values, a map from JSON-pointer-like paths (``"slides/3/kind"``) to 1-based
positions, duplicate keys reported, only the YAML core tags accepted, and alias expansion counted so
that a "billion laughs" file fails in milliseconds at the alias that blew the budget.

A core module: the deck loader uses it, and so does every reader of a YAML input file (an LLM-API
``kv_cache_config``), which gets the same limits and one-line diagnostics without importing the spec stage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .datafile import path_problem
from .diagnostics import Diagnostic, Pos, SpecError

MAX_NODES = 100_000
MAX_BYTES = 8 * 1024 * 1024

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("null", "bool", "int", "float", "str")}
_STR = f"{_CORE}str"
_MAP = f"{_CORE}map"
_SEQ = f"{_CORE}seq"
_TIMESTAMP = f"{_CORE}timestamp"  # kept as the text written: JSON has no date type
_MERGE = f"{_CORE}merge"


@dataclass
class Document:
    """A loaded YAML file: plain data plus where each value (and each mapping key) was written."""

    path: str
    text: str
    data: Any
    positions: dict[str, Pos] = field(default_factory=dict)  # value positions; "" is the root
    key_positions: dict[str, Pos] = field(default_factory=dict)  # key positions, by their value's path
    plain: bool = False  # read from libyaml's events: no anchor, alias, merge key or tag but the core ones

    def pos(self, path: str) -> Pos:
        """Position of ``path``, or of its nearest ancestor that has one (e.g. for a missing field)."""
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return Pos(self.path, 1, 1)
            path = path.rpartition("/")[0]

    def key_pos(self, path: str) -> Pos:
        """Position of the key that introduces ``path`` (for "unknown field" messages)."""
        return self.key_positions.get(path) or self.pos(path)


def join(path: str, key: str | int) -> str:
    """The path syntax shared by positions and overrides: segments joined with '/' ("" is the root)."""
    return f"{path}/{key}" if path else str(key)


def load_file(path: str, *, max_nodes: int = MAX_NODES, max_bytes: int = MAX_BYTES) -> Document:
    """Read and convert one YAML file; every problem is a SpecError positioned in ``path``. A path
    that is not a regular file (a FIFO would block the read, a device never end) is refused first."""
    return load_text(read_text(path, max_bytes), path, max_nodes=max_nodes)


def read_text(path: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of a YAML file, read as ``load_file`` reads it (a regular file, at most ``max_bytes``,
    UTF-8 with or without a byte-order mark); every problem is a SpecError positioned in ``path``."""
    problem = path_problem(path)
    if problem and os.path.exists(path):
        raise SpecError(Diagnostic(problem, Pos(path)))
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise SpecError(Diagnostic(f"file is {size} bytes, more than the limit of {max_bytes}", Pos(path)))
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise SpecError(Diagnostic(f"cannot read file: {e.strerror or e}", Pos(path))) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SpecError(Diagnostic(f"file is not UTF-8 (byte {e.start})", Pos(path))) from None


def load_text(text: str, path: str, *, max_nodes: int = MAX_NODES) -> Document:
    """Convert YAML text; ``path`` is only used to label positions."""
    fast = _read_events(text, path, max_nodes)
    if fast is not None:
        return fast
    root = _compose_fast(text)
    if root is None:
        root = _compose(text, path)
    doc = Document(path=path, text=text, data=None)
    if root is not None and root is not _EMPTY:
        converter = _Converter(doc, max_nodes)
        doc.data = converter.convert(root, "")
        if converter.errors:
            raise SpecError(sorted(converter.errors, key=lambda d: (d.pos.line, d.pos.col) if d.pos else (0, 0)))
    return doc


_EMPTY = object()  # an empty document, as the fast composer reports it


class _Unusual(Exception):
    """Something the event reader leaves to the composer and ``_Converter``: an anchor, a tag other
    than the core ones, a merge key, a duplicate key, a key that is not a scalar, too many nodes."""


def load_plain(text: str, path: str, first_line: int = 1, *, max_nodes: int = MAX_NODES) -> Document | None:
    """``text`` read as ``load_text`` reads it when it is a plain document (no anchor, alias, tag
    other than the core ones, merge key or duplicate key: what libyaml's events give directly), its
    positions numbered as if its first line were line ``first_line`` of ``path``; None for any other
    text, a syntax error included. For a part of a file whose meaning cannot depend on the rest
    (``tfeic.splice``): the caller decides that, and reads the whole file when in doubt."""
    return _read_events(text, path, max_nodes, first_line - 1)


def _read_events(text: str, path: str, max_nodes: int, line_offset: int = 0) -> Document | None:
    """The common document (no anchors, core tags only, nothing to report) read straight from
    libyaml's events, about 5x faster than composing nodes and converting them: composing builds a
    node and resolves its tag through Python for every value. Gives the data and positions the
    composer path gives (the same libyaml marks); anything unusual, or any syntax error, returns None
    and the composer path decides, so diagnostics never depend on this reader. A ``&`` in the text
    (often in a comment or a string) does not send it there: only an anchor or an alias does."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    try:
        loader = yaml.CSafeLoader(text)
    except yaml.YAMLError:
        return None
    try:
        return _EventReader(loader, Document(path=path, text=text, data=None, plain=True), max_nodes, line_offset).read()
    except (yaml.YAMLError, _Unusual):
        return None
    finally:
        loader.dispose()


class _EventReader:
    """Builds a ``Document`` from the event stream of one libyaml parser (see ``_read_events``)."""

    def __init__(self, loader, doc: Document, max_nodes: int, line_offset: int = 0):
        self.next = loader.get_event
        self.line_offset = line_offset + 1  # libyaml's lines are 0-based, ours 1-based
        self.loader = loader  # resolves implicit tags and constructs non-string scalars, as the composer's loader does
        self.doc = doc
        self.positions, self.key_positions = doc.positions, doc.key_positions  # filled for every value
        self.nodes_left = max_nodes
        self.tags: dict[tuple[str, tuple[bool, bool]], str] = {}  # (text, implicit) -> resolved tag: decks repeat keys

    def read(self) -> Document:
        self.expect(StreamStartEvent)
        event = self.next()
        if type(event) is not StreamEndEvent:  # else an empty stream: no data, as the composer path gives
            self.expect(DocumentStartEvent, event)
            self.doc.data = self.value(self.next(), "")
            self.expect(DocumentEndEvent)
            self.expect(StreamEndEvent)
        return self.doc

    def expect(self, kind: type, event: Any = None) -> None:
        if type(event or self.next()) is not kind:
            raise _Unusual  # a second document: the composer reports it

    def pos(self, event) -> Pos:
        mark = event.start_mark
        return Pos(self.doc.path, mark.line + self.line_offset, mark.column + 1)

    def value(self, event, path: str) -> Any:
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise _Unusual
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None:
            raise _Unusual  # an alias, or an anchor (the composer checks anchors are unique)
        self.positions[path] = self.pos(event)
        if kind is ScalarEvent:
            return self.scalar(event)
        if kind is MappingStartEvent and event.tag in (None, "!", _MAP):
            return self.mapping(path)
        if kind is SequenceStartEvent and event.tag in (None, "!", _SEQ):
            return self.sequence(path)
        raise _Unusual  # a tagged collection

    def tag(self, event) -> str:
        """A scalar's tag: the one written, else the one its text resolves to (as the composer does)."""
        tag: str | None = event.tag
        if tag is None or tag == "!":
            key = (event.value, event.implicit)
            tag = self.tags.get(key)
            if tag is None:
                tag = self.tags[key] = self.loader.resolve(ScalarNode, event.value, event.implicit)
        return tag

    def scalar(self, event) -> Any:
        tag = self.tag(event)
        if tag == _STR or tag == _TIMESTAMP:
            return event.value
        if tag not in _SCALAR_TAGS:
            raise _Unusual
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node)

    def mapping(self, path: str) -> dict:
        result: dict[str, Any] = {}
        event = self.next()
        while type(event) is not MappingEndEvent:
            if type(event) is not ScalarEvent or event.value in result:
                raise _Unusual
            if (event.tag is not None or event.value == "<<") and self.tag(event) == _MERGE:  # else not a merge
                raise _Unusual
            key = event.value
            child = f"{path}/{key}" if path else key
            self.key_positions[child] = self.pos(event)
            result[key] = self.value(self.next(), child)
            event = self.next()
        return result

    def sequence(self, path: str) -> list:
        result: list[Any] = []
        event = self.next()
        while type(event) is not SequenceEndEvent:
            result.append(self.value(event, f"{path}/{len(result)}" if path else str(len(result))))
            event = self.next()
        return result


def _compose_fast(text: str):
    """libyaml's composer, about 10x faster than PyYAML's, for the common document that has no
    anchors (so no aliases whose positions it would lose). Anything unusual, a syntax error
    included, returns None and takes the exact path, so diagnostics never depend on the parser."""
    if "&" in text or not getattr(yaml, "__with_libyaml__", False):
        return None
    try:
        loader = yaml.CSafeLoader(text)  # rejects control characters already
    except yaml.YAMLError:
        return None
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return _EMPTY if node is None else node


def _compose(text: str, path: str):
    """PyYAML's own composer, keeping where every alias was written."""
    try:
        loader = _PositionLoader(text)
    except yaml.reader.ReaderError as e:  # a control character: no mark, an index into the text
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        raise SpecError(Diagnostic(f"YAML error: {e.reason}: U+{e.character:04X}", Pos(path, line, col),
                                   "YAML forbids control characters other than tab, CR and LF")) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark, context = e.problem_mark or e.context_mark, e.context_mark
        pos = Pos(path, mark.line + 1, mark.column + 1) if mark else Pos(path)
        hint = f"{e.context} that starts at line {context.line + 1}" if context and context is not mark else None
        raise SpecError(Diagnostic(f"YAML syntax error: {e.problem or e.context}", pos, hint)) from None
    except yaml.YAMLError as e:
        raise SpecError(Diagnostic(f"YAML error: {' '.join(str(e).split())}", Pos(path))) from None
    except RecursionError:
        raise SpecError(Diagnostic("YAML nesting is too deep", Pos(path))) from None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class _Alias:
    """An alias occurrence: the anchored node plus where the ``*name`` was written."""

    target: Node
    mark: Any


class _PositionLoader(yaml.SafeLoader):
    """SafeLoader whose composer keeps alias occurrences (PyYAML would return the anchored node)."""

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark
            target = super().compose_node(parent, index)
            assert target is not None  # an alias names a node
            return _Alias(target, mark)
        return super().compose_node(parent, index)


class _Converter:
    """Turns a composed node graph into plain data, counting nodes so alias bombs stop early."""

    def __init__(self, doc: Document, max_nodes: int):
        self.doc = doc
        self.max_nodes = max_nodes
        self.count = 0
        self.errors: list[Diagnostic] = []
        self.aliases: list[_Alias] = []  # the aliases being expanded, innermost last
        self.constructor = yaml.SafeLoader("")  # only used to resolve core scalar tags
        self.marks: dict[int, Pos] = {}  # id(mark) -> Pos: an expanded alias reuses its nodes' marks

    def pos(self, mark) -> Pos:
        pos = self.marks.get(id(mark))
        if pos is None:
            pos = self.marks[id(mark)] = Pos(self.doc.path, mark.line + 1, mark.column + 1)
        return pos

    def convert(self, node: Node | _Alias, path: str) -> Any:
        if isinstance(node, _Alias):
            if any(a.target is node.target for a in self.aliases):
                raise SpecError(Diagnostic("recursive alias", self.pos(node.mark)))
            self.aliases.append(node)
            try:
                value = self.convert(node.target, path)
            finally:
                self.aliases.pop()
            self.doc.positions[path] = self.pos(node.mark)
            return value
        self.count += 1
        if self.count > self.max_nodes:
            where = self.aliases[0].mark if self.aliases else node.start_mark
            raise SpecError(
                Diagnostic(f"document expands to more than {self.max_nodes} nodes", self.pos(where),
                           hint="alias expansion is bounded; is this a 'billion laughs' file?")
            )
        self.doc.positions[path] = self.pos(node.start_mark)
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            self.check_tag(node, f"{_CORE}seq")
            return [self.convert(item, join(path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def check_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            self.errors.append(Diagnostic(f"unsupported YAML tag {node.tag!r}", self.pos(node.start_mark)))

    def scalar(self, node: Node) -> Any:  # a ScalarNode: convert has taken mappings and sequences
        if node.tag == _STR:  # what SafeConstructor.construct_yaml_str returns, without its dispatch
            return node.value
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.check_tag(node, f"{_CORE}str")
            return node.value
        return self.constructor.construct_object(node)

    def mapping(self, node: MappingNode, path: str) -> dict:
        self.check_tag(node, f"{_CORE}map")
        explicit, merged = self.entries(node, set())
        result: dict[str, Any] = {}
        for key_node, value_node in explicit:
            key = key_node.value  # as written: 'on' stays "on", '3' stays "3"
            child = join(path, key)
            if key in result:
                first = self.doc.key_positions[child]
                self.errors.append(
                    Diagnostic(f"duplicate key '{key}' (first defined at line {first.line})", self.pos(key_node.start_mark))
                )
                continue
            self.doc.key_positions[child] = self.pos(key_node.start_mark)
            result[key] = self.convert(value_node, child)
        for key_node, value_node in merged:  # YAML merge keys: explicit keys win, earlier merges win
            key = key_node.value
            if key not in result:
                self.doc.key_positions[join(path, key)] = self.pos(key_node.start_mark)
                result[key] = self.convert(value_node, join(path, key))
        return result

    def entries(self, node: MappingNode, seen: set[int]) -> tuple[list, list]:
        """A mapping's own (key, value) node pairs, and those it pulls in with ``<<``, flattened."""
        if id(node) in seen:
            raise SpecError(Diagnostic("recursive merge key", self.pos(node.start_mark)))
        seen = seen | {id(node)}
        explicit, merged = [], []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                target = value_node.target if isinstance(value_node, _Alias) else value_node
                parts = target.value if isinstance(target, SequenceNode) else [target]
                for part in parts:
                    part = part.target if isinstance(part, _Alias) else part
                    if not isinstance(part, MappingNode):
                        self.errors.append(Diagnostic("'<<' merges only mappings", self.pos(part.start_mark)))
                        continue
                    own, inherited = self.entries(part, seen)
                    merged += own + inherited
            elif isinstance(key_node, ScalarNode):
                explicit.append((key_node, value_node))
            else:
                self.errors.append(Diagnostic("mapping keys must be plain scalars", self.pos(key_node.start_mark)))
        return explicit, merged
