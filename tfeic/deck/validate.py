"""Deck validation: YAML file -> typed ``Deck``, or one SpecError listing every problem.

jsonschema's own messages for a ``kind``-keyed union are unreadable ("... is not valid under any of
the given schemas"), so validation runs in layers: the top-level envelope, then each source and slide
``kind`` against the registry (with a did-you-mean), then the item against its own fragment, then
references from slide options to declared sources. Every schema error is rewritten into a short
message at the position of the offending value (or key, for unknown fields).
"""

from __future__ import annotations

import math
import os
import re
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..core.datafile import deck_relative, path_problem
from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..core.registry import Registry, suggest
from ..core.yamlfile import Document, load_file
from .model import Deck, SlideSpec, SourceSpec, named_sources
from .overrides import SHORTHANDS, apply_overrides
from .schema import envelope, slide_schema, source_schema

_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"), (dict, "object"))
_DECK_FIELDS = {"title", "author", "date", "theme", "sources", "slides"}


def json_type(value: Any) -> str:
    """The JSON Schema type name of a loaded YAML value (bool before int: True is an int in Python)."""
    if value is None:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} (not a finite number)"
    return next((name for cls, name in _JSON_TYPES if isinstance(value, cls)), type(value).__name__)


def display(parts: Sequence[str | int]) -> str:
    """``("slides", 3, "rows", 1)`` -> ``slides[3].rows[1]``: how users write paths in messages."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def pointer(parts: Iterable[str | int]) -> str:
    return "/".join(str(p) for p in parts)


def make_validator(schema: dict) -> "SchemaValidator":
    """The validator of ``schema``: compiled once, reused for every item of its kind."""
    return SchemaValidator(schema)


def _plain_json(value: Any) -> bool:
    """Whether ``value`` is plain JSON data with finite numbers and string keys: what the compiled
    check may decide alone. Anything else (``.inf``, a YAML timestamp, an integer key) goes to
    jsonschema, whose answer is the reference. A loop, not recursion: it visits every value of a
    deck once, so its cost is the fast tier's."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            continue
        if isinstance(item, dict):
            if not all(isinstance(k, str) for k in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif not (item is None or isinstance(item, int)):
            return False
    return True


class SchemaValidator:
    """A JSON Schema 2020-12 validator in two tiers, because decks are almost always valid.

    The fast tier is ``jsonschema_rs`` (the Rust ``jsonschema`` crate, compiled once per schema): it
    only answers "valid?", in microseconds, and imports in a few milliseconds. Only when it says
    no (or cannot decide: data that is not plain JSON, a pattern the Rust regex engine rejects) does
    the reference tier run: jsonschema's ``Draft202012Validator`` (imported on first use), whose
    errors ``schema_diagnostics`` turns into the messages users see, so those stay exactly as they
    were. The fast tier is at least as strict where the two differ (it checks every ``format`` it
    knows; its ``$`` does not match before a final newline), so a deck it passes, jsonschema passes.

    A ``number`` is finite: YAML's ``.inf`` and ``.nan`` (which JSON cannot hold) are type errors, so
    no width, size or offset of a deck or theme reaches the layout as a number no arithmetic bounds.
    """

    def __init__(self, schema: dict):
        self.schema = schema
        self._fast: Any = None
        self._full: Any = None

    def is_valid(self, instance: Any) -> bool | None:
        """True/False from the fast tier; None when it cannot decide."""
        if self._fast is None:
            try:
                import jsonschema_rs

                self._fast = jsonschema_rs.Draft202012Validator(_without_surrogates(self.schema), validate_formats=True)
            except Exception:  # a schema the Rust crate does not compile: the reference tier decides
                self._fast = False
        if self._fast is False or not _plain_json(instance):
            return None
        try:
            return bool(self._fast.is_valid(instance))
        except Exception:  # a value the binding cannot convert (an integer beyond 64 bits)
            return None

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        """jsonschema's errors of ``instance`` (none, without importing it, when the fast tier passes it)."""
        if self.is_valid(instance):
            return iter(())
        if self._full is None:
            self._full = _reference_validator(self.schema)
        errors: Iterator[Any] = self._full.iter_errors(instance)
        return errors


_SURROGATES = r"\ud800-\udfff"


def _without_surrogates(schema: Any) -> Any:
    """``schema`` with the surrogate range ``\\ud800-\\udfff`` left out of its patterns' character
    classes: Rust's regex rejects it (a Rust string holds no surrogates), and the binding raises on a
    string that holds one, which sends that string to the reference tier, so the fast tier never sees
    a surrogate and the range changes nothing it decides (the theme schema's font-name pattern)."""
    if isinstance(schema, dict):
        return {k: (v.replace(_SURROGATES, "") if k == "pattern" and isinstance(v, str) else _without_surrogates(v))
                for k, v in schema.items()}
    if isinstance(schema, list):
        return [_without_surrogates(v) for v in schema]
    return schema


def _reference_validator(schema: dict):
    """jsonschema's 2020-12 validator with finite numbers and ``format`` checked."""
    from jsonschema import Draft202012Validator, validators

    base = Draft202012Validator.TYPE_CHECKER

    def finite_number(checker, instance: Any) -> bool:
        return base.is_type(instance, "number") and not (isinstance(instance, float) and not math.isfinite(instance))

    cls = validators.extend(Draft202012Validator, type_checker=base.redefine("number", finite_number))
    return cls(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_diagnostics(validator, instance: Any, doc: Document, prefix: tuple = (), noun: str = "field") -> list[Diagnostic]:
    """Every error of ``instance`` against ``validator``, as positioned one-line diagnostics."""
    out: list[Diagnostic] = []
    for error in validator.iter_errors(instance):
        out.extend(_describe(error, doc, prefix, noun))
    return out


def _describe(error, doc: Document, prefix: tuple, noun: str) -> list[Diagnostic]:
    from jsonschema.exceptions import best_match

    parts = (*prefix, *error.absolute_path)
    where, pos = display(parts), doc.pos(pointer(parts))
    kind, expected, value, schema = error.validator, error.validator_value, error.instance, error.schema

    def at(message: str, hint: str | None = None, p=pos) -> Diagnostic:
        return Diagnostic(f"{where}: {message}" if where else message, p, hint)

    def did_you_mean(name: Any, choices: Iterable[str]) -> str | None:
        match = suggest(name, sorted(choices)) if isinstance(name, str) else None
        return f"did you mean '{match}'?" if match else None

    if kind == "type":
        types = [expected] if isinstance(expected, str) else expected
        hint = None
        if "string" in types and isinstance(value, dict) and len(value) == 1:
            hint = _colon_hint(doc, pos) if parts and isinstance(parts[-1], int) else None
            hint = hint or "a ': ' inside plain text starts a mapping; quote the text"
        return [at(f"expected {' or '.join(types)}, got {json_type(value)}", hint)]
    if kind == "required":
        return [at(f"missing required {noun} {str(name)!r}") for name in expected if name not in value]
    if kind == "additionalProperties" and expected is False:
        known = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extras = [k for k in value if k not in known and not any(re.search(p, k) for p in patterns)]
        return [
            at(f"unknown {noun} {str(k)!r}", did_you_mean(k, known), doc.key_pos(pointer((*parts, k))))
            for k in extras
        ]
    if kind == "enum":
        choices = ", ".join(repr(c) for c in expected)
        return [at(f"expected one of {choices}, got {value!r}", did_you_mean(value, [str(c) for c in expected]))]
    if kind == "const":
        return [at(f"expected {expected!r}, got {value!r}")]
    if kind == "pattern":
        wanted = schema.get("description") or f"a string matching {expected!r}"
        return [at(f"expected {wanted}, got {value!r}")]
    if kind == "format":
        return [at(f"expected a {expected}, got {value!r}")]
    bounds = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
    if kind in bounds:
        return [at(f"must be {bounds[kind]} {expected}, got {value!r}")]
    sizes = {"minItems": ("at least", "items"), "maxItems": ("at most", "items"),
             "minLength": ("at least", "characters"), "maxLength": ("at most", "characters"),
             "minProperties": ("at least", "fields"), "maxProperties": ("at most", "fields")}
    if kind in sizes:
        relation, unit = sizes[kind]
        return [at(f"expected {relation} {expected} {unit}, got {len(value)}")]
    if kind in ("oneOf", "anyOf") and error.context:
        return _describe(best_match(error.context), doc, prefix, noun)
    return [at(error.message)]


def _colon_hint(doc: Document, pos) -> str | None:
    """For a list item that YAML read as a one-key mapping (``- Decode: one token per step``), the
    item as the user wrote it, single-quoted (YAML doubles a ``'`` inside such quotes), so the hint
    shows the fixed line. A plain scalar ends at `` #`` (a comment); a flow mapping (``{a: b}``) was
    meant as one, so it gets no rewrite."""
    lines = doc.text.splitlines()
    if not pos or not 0 < pos.line <= len(lines):
        return None
    written = lines[pos.line - 1][pos.col - 1:].split(" #", 1)[0].strip()
    if not written or written[0] in "{[&!*'\"":
        return None
    quoted = "'" + written.replace("'", "''") + "'"
    return f'a list item holding ": " is read as a mapping; quote it: "- {quoted}"'


class _DeckChecker:
    """Collects every problem of one deck document before raising, then builds the ``Deck``."""

    def __init__(self, doc: Document, directives: Registry, sources: Registry, dry_run: bool = False):
        self.doc = doc
        self.directives = directives
        self.sources = sources
        self.dry_run = dry_run
        self.notices: list[Diagnostic] = []
        self.omitted: set[str] = set()
        self.errors: list[Diagnostic] = []
        self._validators: dict[tuple[str, str], Any] = {}

    def error(self, parts: tuple, message: str, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(f"{display(parts)}: {message}", self.doc.pos(pointer(parts)), hint))

    def validate(self, key: tuple[str, str], schema: Callable[[], dict], instance: Any, prefix: tuple, noun: str) -> None:
        """Check ``instance`` against the schema ``schema()`` makes, compiled once per ``key`` (a kind)."""
        if key not in self._validators:
            self._validators[key] = make_validator(schema())
        self.errors.extend(schema_diagnostics(self._validators[key], instance, self.doc, prefix, noun))

    def kind_of(self, parts: tuple, item: Any, registry: Registry, what: str):
        """The registered implementation an item's ``kind`` names, or None after reporting why not."""
        if not isinstance(item, dict):
            return None  # the envelope already said "expected object"
        if "kind" not in item:
            self.error(parts, "missing required field 'kind'")
            return None
        kind = item["kind"]
        if not isinstance(kind, str):
            self.error((*parts, "kind"), f"expected string, got {json_type(kind)}")
            return None
        impl = registry.get(kind)
        if impl is None:
            match = registry.suggest(kind)
            self.error((*parts, "kind"), f"unknown {what} {str(kind)!r}", f"did you mean '{match}'?" if match else None)
        return impl

    def check(self) -> Deck:
        data = self.doc.data
        if not isinstance(data, dict):
            raise SpecError(Diagnostic(f"a deck is a mapping of fields, got {json_type(data)}", self.doc.pos("")))
        self.validate(("", "envelope"), lambda: envelope({"type": "object"}, {"type": "object"}), data, (), "field")
        sources, slides = data.get("sources"), data.get("slides")
        raw_sources = sources if isinstance(sources, dict) else {}
        raw_slides = slides if isinstance(slides, list) else []
        unsupplied = set()
        for name, item in raw_sources.items():
            impl = self.kind_of(("sources", name), item, self.sources, "source kind")
            if impl:
                schema = source_schema(impl)
                missing = [f for f in schema["required"] if isinstance(item, dict) and f not in item]
                if missing and item.get("optional") is True:
                    unsupplied.add(name)
                    schema = {**schema, "required": ["kind"]}  # synthetic under --dry-run; else left out below
                    if not self.dry_run:
                        flags = [s.flag for s in SHORTHANDS for f in missing if s.target == f"sources.{name}.{f}"]
                        self.notices.append(Diagnostic(
                            f"sources.{name}: optional and not given ({', '.join(missing)}): left out with the slides "
                            "that read it", self.doc.pos(pointer(("sources", name))),
                            f"give {' or '.join(flags)}" if flags else None, severity="warning"))
                self.validate(("source", impl.name), lambda: schema, item, ("sources", name), "field")
        kept = [index for index, item in enumerate(raw_slides) if self.check_slide(index, item, raw_sources, unsupplied)]
        if self.errors:
            if not self.dry_run:  # a dry run reads no data file
                self.check_inputs(raw_sources, unsupplied)
            unique = {(d.pos.line, d.pos.col, d.message) if d.pos else (0, 0, d.message): d for d in self.errors}
            raise SpecError([unique[k] for k in sorted(unique)])
        if not self.dry_run:
            raw_sources = {n: s for n, s in raw_sources.items() if n not in unsupplied}
            self.omitted = unsupplied
        return self.build(data, raw_sources, raw_slides, kept)

    def check_slide(self, index: int, item: Any, raw_sources: Mapping[str, Any], unsupplied: set[str]) -> bool:
        """Check the slide directive ``slides[index]`` (its problems join ``errors``); False when it
        reads an optional source that was not given, and is left out."""
        impl = self.kind_of(("slides", index), item, self.directives, "directive")
        if impl and not self.dry_run and named_sources(item, impl.sources) & unsupplied:
            return False
        if impl:
            self.validate(("slide", impl.name), lambda: slide_schema(impl), item, ("slides", index), "option")
            self.check_references(index, item, impl, raw_sources)
        return True

    def check_inputs(self, raw_sources: Mapping[str, Any], left_out: set[str]) -> None:
        """The data paths the sources name (their ``input_fields``) that cannot be stat-ed, so a deck
        with spec errors shows its missing files in the same run; nothing is opened or read."""
        base_dir = os.path.dirname(os.path.abspath(self.doc.path))
        for name, item in raw_sources.items():
            kind = item.get("kind") if isinstance(item, dict) else None
            impl = self.sources.get(kind) if isinstance(kind, str) and name not in left_out else None
            for key in getattr(impl, "input_fields", ()):
                raw = item.get(key)
                problem = path_problem(deck_relative(base_dir, raw), allow_dir=True) if isinstance(raw, str) else None
                if problem:
                    self.error(("sources", name, key), f"{raw}: {problem}")

    def check_references(self, index: int, item: dict, directive, declared: Mapping[str, Any]) -> None:
        """Options that name sources must name declared sources of a kind the directive accepts."""
        for option, accepted in directive.sources.items():
            value = item.get(option)
            named: list[tuple[tuple[Any, ...], str]] = [((option,), value)] if isinstance(value, str) else []
            if isinstance(value, list):
                named = [((option, i), v) for i, v in enumerate(value) if isinstance(v, str)]
            for sub, name in named:
                parts = ("slides", index, *sub)
                if name not in declared:
                    match = suggest(name, sorted(declared))
                    self.error(parts, f"no source named {str(name)!r}", f"did you mean '{match}'?" if match else None)
                    continue
                kind = declared[name].get("kind") if isinstance(declared[name], dict) else None
                if isinstance(kind, str) and self.sources.get(kind) and kind not in accepted:
                    self.error(parts, f"source '{name}' is of kind '{kind}', expected {' or '.join(accepted)}")

    def build(self, data: dict, raw_sources: dict, raw_slides: list, kept: list[int]) -> Deck:
        buckets = self._position_buckets()
        sources = {
            name: SourceSpec(
                name=name,
                kind=item["kind"],
                options={k: v for k, v in item.items() if k != "kind"},
                pos=self.doc.pos(f"sources/{name}"),
                positions=buckets.get(("sources", name), {}),
            )
            for name, item in raw_sources.items()
        }
        slides = [self.slide_spec(index, item, buckets.get(("slides", str(index)), {}))
                  for index, item in enumerate(raw_slides) if index in kept]
        return Deck(
            path=self.doc.path,
            base_dir=os.path.dirname(os.path.abspath(self.doc.path)),
            title=data["title"],
            theme=data.get("theme", "light"),
            sources=sources,
            slides=slides,
            author=data.get("author", ""),
            date=data.get("date"),
            text=self.doc.text,
            options={k: v for k, v in data.items() if k not in _DECK_FIELDS},
            positions={k: p for k, p in self.doc.positions.items() if k and "/" not in k},
            notices=tuple(self.notices),
            omitted=frozenset(n for n in self.omitted if n not in raw_sources),
            plain=self.doc.plain,
        )

    def slide_spec(self, index: int, item: dict, positions: dict[str, Pos]) -> SlideSpec:
        """The typed directive of a checked slide item (``positions``: its own, relative to it)."""
        return SlideSpec(index=index, kind=item["kind"], options={k: v for k, v in item.items() if k not in ("kind", "notes")},
                         pos=self.doc.pos(f"slides/{index}"), notes=item.get("notes", ""), positions=positions)

    def _position_buckets(self) -> dict[tuple[str, str], dict]:
        """Positions of each slide/source, keyed relative to it ("rows/3/1"; "" is the item itself).
        A document's positions come in document order, so one item's are consecutive: the bucket
        of the previous path is tried first (this loop sees every value of the deck)."""
        buckets: dict[tuple[str, str], dict] = {}
        last: tuple[str, str] | None = None
        bucket: dict = {}
        for path, pos in self.doc.positions.items():
            head, sep, rest = path.partition("/")
            if not sep or (head != "slides" and head != "sources"):
                continue
            name, _, sub = rest.partition("/")
            if (head, name) != last:
                last = (head, name)
                bucket = buckets.setdefault(last, {})
            bucket[sub] = pos
        return buckets


def check_document(doc: Document, *, directives: Registry, sources: Registry, dry_run: bool = False) -> Deck:
    """Validate an already loaded (and overridden) deck document against these registries; ``dry_run``
    keeps optional sources that were not given (they become synthetic)."""
    return _DeckChecker(doc, directives, sources, dry_run).check()


def check_slide_alone(doc: Document, index: int, deck: Deck, raw_sources: Mapping[str, Any], *, directives: Registry,
                      sources: Registry, dry_run: bool = False) -> SlideSpec | None:
    """The slide directive ``doc.data`` (read alone, its positions at ``slides/<index>``) checked as
    ``check_document`` checks it in ``deck`` (a deck that left out no optional source; its sources
    as written: ``raw_sources``); None when it has any problem, which a whole load then reports."""
    checker = _DeckChecker(doc, directives, sources, dry_run)
    if deck.omitted or not checker.check_slide(index, doc.data, raw_sources, set()) or checker.errors:
        return None
    return checker.slide_spec(index, doc.data, checker._position_buckets().get(("slides", str(index)), {}))


def load_deck(
    path: str,
    overrides: Sequence[str] = (),
    shorthands: Mapping[str, Any] | None = None,
    *,
    directives: Registry,
    sources: Registry,
    dry_run: bool = False,
) -> Deck:
    """Load, override (``--set`` and TFEITool shorthands) and validate a deck file.

    ``path`` is kept as given, so diagnostics show it as the user typed it. ``directives``/``sources``
    are the registries the deck is checked against: the build passes the global ones (the packages
    that fill them sit above this stage), tests pass their own.
    """
    doc = load_file(path)
    apply_overrides(doc, overrides, shorthands)
    return check_document(doc, directives=directives, sources=sources, dry_run=dry_run)
