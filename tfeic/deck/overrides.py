"""Command-line changes to a deck, applied to the raw document *before* validation.

Two forms: ``--set dotted.path=value`` (value parsed as YAML, so ``--set slides.3.rows=[[a, b]]``
works) and the TFEITool shorthands (``--server URL`` ...), which are just named ``--set``s of fields
of conventionally named sources. Because both run before validation, an override that produces a
bad value gets the same precise diagnostic as a bad value in the file. ``SHORTHANDS`` is data so the
CLI adds the flags and the README prints the table from one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

if TYPE_CHECKING:  # what applies an override (the YAML loader, the did-you-mean, diagnostics) is imported when one is
    from ..core.diagnostics import Pos
    from ..core.yamlfile import Document


def _int_list(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


class Shorthand:
    """One flag: a plain class, not a dataclass or a named tuple (making either class costs a no-op
    ``tfeic build`` milliseconds, and every command that compiles a deck builds its parser from these)."""

    __slots__ = ("flag", "target", "metavar", "help", "parse", "expects", "path", "replaces")

    def __init__(self, flag: str, target: str | None, metavar: str | None, help: str, parse: Callable[[str], Any] = str,
                 expects: str = "text", path: bool = False, replaces: tuple[str, ...] = ()) -> None:
        self.flag = flag
        self.target = target  # dotted deck path; None: not a deck field (the command handles it)
        self.metavar = metavar  # None: a switch that sets True
        self.help = help
        self.parse = parse
        self.expects = expects  # what ``parse`` accepts, for the error message
        self.path = path  # a file or directory typed at the shell: relative to the working directory
        self.replaces = replaces  # sibling fields this one supersedes (``prompt_file`` replaces ``prompt``)

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


SHORTHANDS: tuple[Shorthand, ...] = (
    Shorthand("--server", "sources.server.url", "URL", "base URL of a running trtllm-serve"),
    Shorthand("--engine-dir", "sources.engine.path", "DIR", "TensorRT engine or checkpoint directory", path=True),
    Shorthand("--kv-binary", "sources.kv.path", "FILE", "raw KV-cache block pool dump", path=True),
    Shorthand("--kv-dims", "sources.kv.kv_dims", "2,HK,T,D", "KV block dimensions, e.g. 2,8,32,16",
              _int_list, "comma-separated integers"),
    Shorthand("--dtype-bytes", "sources.kv.dtype_bytes", "N", "bytes per KV element (2 fp16, 1 fp8, 4 fp32)", int,
              "an integer"),
    Shorthand("--dtype", "sources.kv.dtype", "NAME", "KV element type by name (bf16, fp16, fp8_e4m3, int8, fp32, ...)"),
    Shorthand("--qdrep", "sources.trace.path", "FILE", "Nsight Systems report (.qdrep/.nsys-rep)", path=True),
    Shorthand("--timeline-json", "sources.trace.path", "FILE", "timeline JSON (Chrome trace format)", path=True),
    Shorthand("--prompt", "sources.server.prompt", "TEXT", "prompt sent to the server",
              replaces=("prompt_file", "messages")),
    Shorthand("--prompt-file", "sources.server.prompt_file", "FILE", "file holding the prompt", path=True,
              replaces=("prompt", "messages")),
    Shorthand("--strict-trtllm", "sources.engine.strict_trtllm", None,
              "fail unless the tensorrt_llm package is installed (no fallback reader)"),
    Shorthand("--output", None, "FILE", "output .pptx path (not a deck field)"),
)

_BY_DEST = {s.dest: s for s in SHORTHANDS}


def apply_overrides(doc: Document, overrides: Sequence[str] = (), shorthands: Mapping[str, Any] | None = None) -> Document:
    """Apply shorthands, then ``--set`` assignments (explicit wins), to ``doc`` in place; returns it.

    ``shorthands`` maps a shorthand's dest or flag (``"kv_dims"`` or ``"--kv-dims"``) to its value;
    None and False mean "not given". All problems are reported together as one SpecError.
    """
    from ..core.diagnostics import Diagnostic, Pos, SpecError
    from ..core.yamlfile import load_text

    errors: list[Diagnostic] = []
    assignments: list[tuple[str, str, Any]] = []  # (label, dotted path, value)
    targets: dict[str, str] = {}
    for key, raw in (shorthands or {}).items():
        s = _BY_DEST[key.lstrip("-").replace("-", "_")]
        if raw is None or raw is False or s.target is None:
            continue
        if s.target in targets:
            errors.append(Diagnostic(f"{targets[s.target]} also sets {s.target}", Pos(s.flag)))
            continue
        targets[s.target] = s.flag
        try:
            value = s.parse(raw) if isinstance(raw, str) else raw
        except ValueError:
            errors.append(Diagnostic(f"expected {s.expects}, got {raw!r}", Pos(s.flag)))
            continue
        source = s.target.split(".")[1]
        declared = doc.data.get("sources") if isinstance(doc.data, dict) else None
        if not isinstance(declared, dict) or source not in declared:
            errors.append(Diagnostic(f"sets {s.target}, but the deck declares no source '{source}'", Pos(s.flag)))
            continue
        if s.path and isinstance(value, str):
            value = _from_working_directory(value, doc.path)
        clash = [f for f in s.replaces if f"sources.{source}.{f}" in targets]
        if clash:
            errors.append(Diagnostic(f"{targets[f'sources.{source}.{clash[0]}']} and {s.flag} both set the prompt: "
                                     "give one", Pos(s.flag)))
            continue
        for field in s.replaces if isinstance(declared[source], dict) else ():
            declared[source].pop(field, None)
        assignments.append((s.flag, s.target, value))
    for text in overrides:
        path, eq, raw = text.partition("=")
        if not eq or not path.strip():
            errors.append(Diagnostic(f"expected PATH=VALUE, got {text!r}", Pos("--set")))
            continue
        label = f"--set {path.strip()}"
        try:
            value = load_text(raw, label).data
        except SpecError as e:
            errors.extend(Diagnostic(d.message, Pos(label), d.hint) for d in e.diagnostics)
            continue
        assignments.append((label, path.strip(), value))
    for label, path, value in assignments:
        problem = _assign(doc, path, value, Pos(label))
        if problem:
            errors.append(Diagnostic(problem[0], Pos(label), problem[1]))
    if errors:
        raise SpecError(errors)
    return doc


def _from_working_directory(path: str, deck_path: str) -> str:
    """A path typed at the shell names a file relative to the working directory, but a deck's paths
    are relative to the deck: rewrite it relative to the deck (or absolute, whichever is shorter)."""
    import os

    full = os.path.abspath(os.path.expanduser(path))
    relative = os.path.relpath(full, os.path.dirname(os.path.abspath(deck_path)))
    return relative if len(relative) <= len(full) else full


def _assign(doc: Document, dotted: str, value: Any, origin: Pos) -> tuple[str, str | None] | None:
    """Set one dotted path; returns (problem, hint) if the path does not lead anywhere.

    Positions under the path are replaced by ``origin`` (the flag), so a bad value from the command
    line is reported as ``--set slides.3.rows: error: ...`` rather than at the file's old value.
    """
    from ..core.registry import suggest
    from ..core.yamlfile import join

    segments = dotted.split(".")
    node, walked = doc.data, ""
    if not isinstance(node, dict):
        return "the deck is not a mapping", None
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        where = walked.replace("/", ".") or "the deck"
        if isinstance(node, dict):
            if segment not in node and not last:
                match = suggest(segment, sorted(node))
                return f"{where} has no field '{segment}'", f"did you mean '{match}'?" if match else None
            key: str | int = segment
        elif isinstance(node, list):
            if not segment.isdigit() or int(segment) >= len(node):
                count = f"{len(node)} item" + ("" if len(node) == 1 else "s")
                return f"{where} has {count}, no index '{segment}'", None
            key = int(segment)
        else:
            return f"{where} is a single value, it has no field '{segment}'", None
        walked = join(walked, key)
        if not last:
            node = node[key]
    for table in (doc.positions, doc.key_positions):
        for stale in [p for p in table if p == walked or p.startswith(walked + "/")]:
            del table[stale]
    doc.positions.update((path, origin) for path in _paths(value, walked))
    node[key] = value
    return None


def _paths(value: Any, path: str):
    """``path`` and the path of everything nested in ``value``."""
    from ..core.yamlfile import join

    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, join(path, key))
