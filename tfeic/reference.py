"""The reference of every directive and source, generated from their JSON Schema fragments.

``tfeic help NAME`` prints one entry and ``docs/reference.md`` holds them all (``tfeic help
--markdown``); both come from the same schema fragments that validate decks, so the reference cannot
say something the validator does not enforce. Each entry has a minimal example built from the schema
itself (required options, filled in until the fragment accepts it), so every example validates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from .directives import DIRECTIVES
from .sources import SOURCES


@dataclass(frozen=True)
class Option:
    name: str
    type: str
    required: bool
    default: Any
    description: str


@dataclass(frozen=True)
class Entry:
    kind: str  # "directive" or "source"
    name: str
    summary: str
    options: tuple[Option, ...]
    example: str  # YAML


def entries() -> list[Entry]:
    """Every registered directive, then every source, by name."""
    out = []
    for kind, registry in (("directive", DIRECTIVES), ("source", SOURCES)):
        for item in sorted(registry, key=lambda i: i.name):
            out.append(entry(kind, item))
    return out


def find(name: str) -> list[Entry]:
    """The directive and/or source called ``name`` (a name may be both, e.g. ``table``)."""
    return [e for e in entries() if e.name == name]


def entry(kind: str, item: Any) -> Entry:
    from .deck.schema import slide_schema, source_schema

    schema = item.schema
    required = set(schema.get("required", ()))
    options = tuple(Option(name, type_of(prop), name in required, prop.get("default"), prop.get("description", ""))
                    for name, prop in schema.get("properties", {}).items())
    conventional = {opt: kinds[0] for opt, kinds in getattr(item, "sources", {}).items()}
    full = slide_schema(item) if kind == "directive" else source_schema(item)
    example = example_options(full, conventional)
    text = yaml.safe_dump([example] if kind == "directive" else {item.name: example}, sort_keys=False,
                          default_flow_style=False, allow_unicode=True)
    return Entry(kind, item.name, item.summary, options, text)


def type_of(prop: dict) -> str:
    """A schema node in words: ``integer >= 1``, ``one of bar, line``, ``string | array of string``."""
    if "enum" in prop:
        return "one of " + ", ".join(json.dumps(v) if not isinstance(v, str) else v for v in prop["enum"])
    if "const" in prop:
        return json.dumps(prop["const"])
    for key in ("anyOf", "oneOf"):
        if key in prop:
            return " | ".join(dict.fromkeys(type_of(p) for p in prop[key]))
    kind = prop.get("type", "any")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array":
        return f"array of {type_of(prop.get('items', {}))}"
    bounds = [f"{op} {prop[k]}" for k, op in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="))
              if k in prop]
    return " ".join([kind, *bounds]) if bounds else kind


def example_options(schema: dict, conventional: dict[str, str]) -> dict:
    """The smallest item the validating schema accepts: required options, then those the first
    alternative of a ``oneOf``/``anyOf`` needs, then whatever the validator still asks for
    (conditional requirements), each with a value of the right shape."""
    from jsonschema import Draft202012Validator

    return _fill(schema, "", conventional, Draft202012Validator(schema))


def _fill(schema: dict, name: str, conventional: dict[str, str], validator: Any = None) -> dict:
    props = schema.get("properties", {})
    names = list(schema.get("required", ()))
    for key in ("oneOf", "anyOf"):
        names += [n for n in (schema.get(key) or [{}])[0].get("required", ()) if n not in names]
    value = {n: sample(props.get(n, {}), n, conventional) for n in names}
    for _ in range(8 if validator else 0):  # each round adds what one `if/then` asks for
        wanted = [m for e in validator.iter_errors(value) if e.validator == "required" and not e.path
                  for m in e.validator_value if m not in value]
        if not wanted:
            break
        value.update((n, sample(props.get(n, {}), n, conventional)) for n in wanted)
    return value


def sample(prop: dict, name: str, conventional: dict[str, str]) -> Any:
    """A value of ``prop``'s shape: its default, example or first choice; a source option names the
    conventionally named source; a path looks like one."""
    if name in conventional:
        return conventional[name]
    for key in ("default", "const"):
        if key in prop:
            return prop[key]
    if prop.get("examples"):
        return prop["examples"][0]
    if prop.get("enum"):
        return prop["enum"][0]
    for key in ("anyOf", "oneOf"):
        if prop.get(key) and "type" not in prop:  # alternatives of shape, not of required options
            return sample(prop[key][0], name, conventional)
    kind = prop.get("type", "string")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "array":
        return [sample(prop.get("items", {}), name, conventional) for _ in range(max(1, prop.get("minItems", 1)))]
    if kind == "object":
        return _fill(prop, name, conventional)
    if kind in ("integer", "number"):
        return max(1, prop.get("minimum", 1))
    if kind == "boolean":
        return True
    if name == "url" or prop.get("pattern", "").startswith("^http"):
        return "http://localhost:8000"
    return f"data/{name}.csv" if "path" in name else name.replace("_", " ")


def text(entry: Entry) -> str:
    """One entry for the terminal."""
    lines = [f"{entry.name} ({entry.kind}): {entry.summary}", "", "options:"]
    width = max((len(o.name) for o in entry.options), default=0)
    for o in entry.options:
        extra = "required" if o.required else (f"default {json.dumps(o.default)}" if o.default is not None else "optional")
        lines.append(f"  {o.name:<{width}}  {o.type}; {extra}")
        if o.description:
            lines.append(f"  {'':<{width}}  {o.description}")
    if not entry.options:
        lines.append("  (none)")
    lines += ["", "example:", *("  " + line for line in entry.example.rstrip().splitlines())]
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """``docs/reference.md``: every directive and source."""
    out = ["# Reference: directives and sources", "",
           "Generated by `tfeic help --markdown` from the schema fragments that validate decks; a test fails when",
           "this file is stale. `tfeic help NAME` prints one entry.", ""]
    for kind in ("directive", "source"):
        out += [f"## {kind.capitalize()}s", ""]
        for e in (e for e in entries() if e.kind == kind):
            out += [f"### `{e.name}`", "", e.summary, ""]
            if e.options:
                out += ["| option | type | required / default | description |", "|---|---|---|---|"]
                for o in e.options:
                    extra = "required" if o.required else (f"`{json.dumps(o.default)}`" if o.default is not None else "")
                    out.append(f"| `{o.name}` | {_cell(o.type)} | {extra} | {_cell(o.description)} |")
                out.append("")
            out += ["```yaml", e.example.rstrip(), "```", ""]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
