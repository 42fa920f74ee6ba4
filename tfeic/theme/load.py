"""Theme loading: YAML (with ``extends``) -> validated, font-resolved ``tfeic.theme.Theme``.

A theme is checked as hard as a deck, because the layout proof is only as good as its inputs: the
schema (``schemas/theme.schema.json``), then what a schema cannot say (every layout's areas form
rectangles on the grid, role fonts and colours exist), then every font file is found on disk. A
missing font is an error, not a fallback: measuring with another font would invalidate the proof.
Diagnostics point into whichever file of the ``extends`` chain wrote the offending value.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import replace
from typing import Any

from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..core.registry import suggest
from . import DEFAULT_FLOORS, FontFace, Footer, GridLayout, TextRole, Theme
from .contrast import contrast, required
from ..core.resources import THEMES_DIR, schema_path
from ..core.yamlfile import Document, join, load_file
from ..deck.validate import display, make_validator, pointer, schema_diagnostics

BUILTIN_THEMES = THEMES_DIR
THEME_SCHEMA = schema_path("theme.schema.json")
SYSTEM_FONT_DIRS = ("/usr/share/fonts",)
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
FONT_PACKAGES = (  # file-name prefix -> Debian package, for the "install ..." hint
    ("Liberation", "fonts-liberation"),
    ("Carlito", "fonts-crosextra-carlito"),
    ("Caladea", "fonts-crosextra-caladea"),
    ("DejaVuSans-Oblique", "fonts-dejavu-extra"),  # the oblique faces of the fallback fonts
    ("DejaVuSans-BoldOblique", "fonts-dejavu-extra"),
    ("DejaVuSansMono-Oblique", "fonts-dejavu-extra"),
    ("DejaVuSansMono-BoldOblique", "fonts-dejavu-extra"),
    ("DejaVu", "fonts-dejavu-core"),
)

# (path in the theme file, Theme field); absent values keep the Theme dataclass defaults
_SCALARS = (
    ("slide/width", "width"), ("slide/height", "height"),
    ("margins/top", "margin_top"), ("margins/right", "margin_right"),
    ("margins/bottom", "margin_bottom"), ("margins/left", "margin_left"),
    ("grid/columns", "columns"), ("grid/gutter", "gutter"), ("grid/row_gap", "row_gap"),
    ("min_size", "min_size"),
    ("insets/left", "inset_left"), ("insets/top", "inset_top"),
    ("insets/right", "inset_right"), ("insets/bottom", "inset_bottom"),
    ("paragraph_space", "paragraph_space"), ("bullet_indent", "bullet_indent"), ("line_height", "line_height"),
)


def _shown(path: str) -> str:
    """How a theme file appears in messages: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _theme_dirs(deck_dir: str | None) -> list[str]:
    return ([os.path.join(deck_dir, "themes")] if deck_dir else []) + [BUILTIN_THEMES]


def _themes_in(dirs: list[str]) -> dict[str, str]:
    """Theme name -> absolute file path; an earlier directory wins over a later one."""
    found: dict[str, str] = {}
    for directory in dirs:
        if os.path.isdir(directory):
            for entry in sorted(os.listdir(directory)):
                stem, ext = os.path.splitext(entry)
                if ext in (".yaml", ".yml"):
                    found.setdefault(stem, os.path.abspath(os.path.join(directory, entry)))
    return found


def list_themes(deck_dir: str | None = None) -> list[tuple[str, str]]:
    """(name, path) of every theme found by name: ``themes/`` next to the deck first, then the repo's."""
    return [(name, _shown(path)) for name, path in sorted(_themes_in(_theme_dirs(deck_dir)).items())]


def _locate(name_or_path: str, base_dir: str, search: list[str], pos: Pos | None) -> str:
    """A theme reference -> absolute file path. A reference with a '/' or a YAML suffix is a path."""
    if "/" in name_or_path or name_or_path.endswith((".yaml", ".yml")):
        path = os.path.normpath(os.path.join(base_dir, os.path.expanduser(name_or_path)))
        if os.path.isfile(path):
            return path
        raise SpecError(Diagnostic(f"theme file not found: {name_or_path}", pos))
    known = _themes_in(search)
    if name_or_path in known:
        return known[name_or_path]
    match = suggest(name_or_path, sorted(known))
    hint = f"did you mean '{match}'?" if match else f"known themes: {', '.join(sorted(known)) or 'none'}"
    raise SpecError(Diagnostic(f"unknown theme '{name_or_path}'", pos, hint))


def _deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key (so a theme can override one colour); anything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _deep_merge(base.get(key), value)
        return merged
    return override


def _load_chain(path: str, deck_dir: str, chain: tuple[str, ...], pos: Pos | None) -> Document:
    """Load ``path`` and everything it extends, merged, with each value's position in its own file."""
    if path in chain:
        cycle = " -> ".join(_shown(p) for p in (*chain, path))
        raise SpecError(Diagnostic(f"themes extend each other in a cycle: {cycle}", pos))
    doc = load_file(_shown(path))
    if not isinstance(doc.data, dict):
        raise SpecError(Diagnostic("a theme is a mapping of fields", doc.pos("")))
    parent_ref = doc.data.get("extends")
    if parent_ref is None:
        return doc
    if not isinstance(parent_ref, str):
        raise SpecError(Diagnostic("extends: expected a theme name or path", doc.pos("extends")))
    here = os.path.dirname(path)
    parent_path = _locate(parent_ref, here, [here, *_theme_dirs(deck_dir)], doc.pos("extends"))
    parent = _load_chain(parent_path, deck_dir, (*chain, path), doc.pos("extends"))
    return Document(
        path=doc.path,
        text=doc.text,
        data=_deep_merge(parent.data, doc.data),
        positions={**parent.positions, **doc.positions},
        key_positions={**parent.key_positions, **doc.key_positions},
    )


@functools.lru_cache(maxsize=1)
def _theme_validator():
    with open(THEME_SCHEMA, encoding="utf-8") as f:
        return make_validator(json.load(f))


def _error(doc: Document, parts: tuple, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(f"{display(parts)}: {message}", doc.pos(pointer(parts)), hint)


def _check_roles(doc: Document) -> list[Diagnostic]:
    data, errors = doc.data, []
    for role, spec in data["text"].items():
        if spec["font"] not in data["fonts"]:
            match = suggest(spec["font"], sorted(data["fonts"]))
            errors.append(_error(doc, ("text", role, "font"), f"no font '{spec['font']}' in fonts",
                                 f"did you mean '{match}'?" if match else None))
        errors += _check_color(doc, ("text", role, "color"), spec.get("color", "text"))
    for face, spec in data["fonts"].items():
        for i, name in enumerate(spec.get("fallback", ())):
            if name == face or name not in data["fonts"]:
                match = suggest(name, sorted(set(data["fonts"]) - {face}))
                why = "a font cannot be its own fallback" if name == face else f"no font '{name}' in fonts"
                errors.append(_error(doc, ("fonts", face, "fallback", i), why,
                                     f"did you mean '{match}'?" if match else None))
    for i, color in enumerate(data.get("series", ())):
        errors += _check_color(doc, ("series", i), color)
    return errors


def _check_color(doc: Document, parts: tuple, color: str) -> list[Diagnostic]:
    """A colour reference must be ``#RRGGBB`` or a key of ``colors``."""
    if color.startswith("#") or color in doc.data["colors"]:
        return []
    match = suggest(color, sorted(doc.data["colors"]))
    return [_error(doc, parts, f"no colour '{color}' in colors", f"did you mean '{match}'?" if match else None)]


def _check_kernel_classes(doc: Document) -> list[Diagnostic]:
    """Each ``kernel_classes`` pattern compiles (as the taxonomy will compile it): one error at the
    bad pattern's line, so a typo fails at theme load, not when a trace slide is built."""
    errors = []
    for i, rule in enumerate(doc.data.get("kernel_classes", ())):
        try:
            re.compile(rule["match"], re.IGNORECASE)
        except re.error as e:
            errors.append(_error(doc, ("kernel_classes", i, "match"), f"{rule['match']!r} is not a regular expression: {e}"))
    return errors


def _check_layouts(doc: Document) -> list[Diagnostic]:
    """What CSS grids require and a schema cannot say: counts agree, names divide, areas are rectangles."""
    columns = doc.data.get("grid", {}).get("columns", Theme.columns)
    errors = []
    for name, layout in doc.data["layouts"].items():
        areas, rows = layout["areas"], layout["rows"]
        if len(areas) != len(rows):
            errors.append(_error(doc, ("layouts", name, "rows"),
                                 f"{len(rows)} row heights for {len(areas)} rows of areas"))
        cells: dict[str, set[tuple[int, int]]] = {}
        for r, row in enumerate(areas):
            names = row.split()
            if columns % len(names):
                errors.append(_error(doc, ("layouts", name, "areas", r),
                                     f"{len(names)} names do not divide the {columns} grid columns"))
                continue
            span = columns // len(names)
            for i, area in enumerate(names):
                if area != ".":
                    cells.setdefault(area, set()).update((r, c) for c in range(i * span, (i + 1) * span))
        for area, taken in sorted(cells.items()):
            rs, cs = [r for r, _ in taken], [c for _, c in taken]
            box = {(r, c) for r in range(min(rs), max(rs) + 1) for c in range(min(cs), max(cs) + 1)}
            if taken != box:
                errors.append(_error(doc, ("layouts", name, "areas"), f"area '{area}' is not a rectangle"))
    return errors


@functools.lru_cache(maxsize=1)
def _system_fonts() -> dict[str, str]:
    """File name -> path for every font under the system font directories (first in sorted walk wins)."""
    index: dict[str, str] = {}
    for root_dir in SYSTEM_FONT_DIRS:
        for directory, subdirs, files in os.walk(root_dir):
            subdirs.sort()
            for name in sorted(files):
                index.setdefault(name, os.path.join(directory, name))
    return index


def _font_dirs(doc: Document, value_path: str) -> list[str]:
    """Where to look for one font file: the dir of the theme file that named it, then ``font_dirs``."""
    dirs = [os.path.dirname(os.path.abspath(doc.pos(value_path).path))]
    for i, entry in enumerate(doc.data.get("font_dirs", [])):
        defined_in = os.path.dirname(os.path.abspath(doc.pos(join("font_dirs", i)).path))
        dirs.append(os.path.normpath(os.path.join(defined_in, os.path.expanduser(entry))))
    return dirs


def _resolve_fonts(doc: Document) -> tuple[dict[str, FontFace], list[Diagnostic]]:
    faces, errors = {}, []
    for face, spec in doc.data["fonts"].items():
        files: dict[str, Any] = {}
        for style in FONT_STYLES:
            name = spec[style]
            dirs = _font_dirs(doc, f"fonts/{face}/{style}")
            candidates = [os.path.join(d, os.path.expanduser(name)) for d in dirs]
            found = next((c for c in candidates if os.path.isfile(c)), None) or _system_fonts().get(os.path.basename(name))
            if found is None:
                package = next((pkg for prefix, pkg in FONT_PACKAGES if os.path.basename(name).startswith(prefix)), None)
                install = f"install the Debian package {package}" if package else "add its directory to font_dirs"
                searched = ", ".join([*dict.fromkeys(dirs), *SYSTEM_FONT_DIRS])
                errors.append(_error(doc, ("fonts", face, style), f"font file '{name}' not found (searched {searched})", install))
            files[style] = os.path.abspath(found) if found else ""
        faces[face] = FontFace(family=spec["family"], **files)
    faces = {name: replace(f, fallback=tuple(faces[k] for k in doc.data["fonts"][name].get("fallback", ())))
             for name, f in faces.items()}
    return faces, errors


def _scalar(data: dict, path: str) -> Any:
    """The value at ``path`` ("head" or "head/tail"), a spacing token replaced by its points."""
    head, _, tail = path.partition("/")
    value = data.get(head, {}).get(tail) if tail else data.get(head)
    return data.get("spacing", {}).get(value) if isinstance(value, str) else value


def _check_spacing(doc: Document) -> list[Diagnostic]:
    """A spacing token used as a length must be a key of ``spacing``."""
    tokens, errors = doc.data.get("spacing", {}), []
    for path, _ in _SCALARS:
        head, _, tail = path.partition("/")
        value = doc.data.get(head, {}).get(tail) if tail else doc.data.get(head)
        if isinstance(value, str) and value not in tokens:
            match = suggest(value, sorted(tokens))
            errors.append(_error(doc, tuple(path.split("/")), f"no spacing token '{value}' in spacing",
                                 f"did you mean '{match}'?" if match else None))
    return errors


def _floors(data: dict) -> dict[str, float]:
    return {**DEFAULT_FLOORS, **{k: float(v) for k, v in data.get("floors", {}).items()}}


def _check_scale(doc: Document) -> list[Diagnostic]:
    """The type scale keeps its floors: no role may be set or shrunk below the floor of its reading
    kind, and a role grows (``max_size``) only upwards from its size."""
    data, errors = doc.data, []
    floors = _floors(data)
    for role, spec in data["text"].items():
        reading = spec.get("reading", "label")
        floor = max(floors["label"], floors[reading])
        smallest = spec.get("min_size", data.get("min_size", Theme.min_size))
        where = ("text", role, "min_size") if "min_size" in spec else ("text", role, "size")
        if min(smallest, spec["size"]) < floor:
            errors.append(_error(doc, where, f"{min(smallest, spec['size']):g} pt is under the {floor:g} pt floor "
                                             f"of '{reading}' text", f"raise it to {floor:g} pt or more"))
        if spec.get("max_size", spec["size"]) < spec["size"]:
            errors.append(_error(doc, ("text", role, "max_size"), f"max_size {spec['max_size']:g} pt is under "
                                                                  f"size {spec['size']:g} pt"))
    return errors


def _color_value(data: dict, name: str) -> str:
    return (name if name.startswith("#") else data["colors"][name]).lstrip("#").upper()


# (text colour, what it is drawn on, the role whose size and weight judge it, bold?): every pair the
# layout draws from theme colours alone; a role's own colour is also judged on the background
_PAIRS = (("table_header_text", "table_header_bg", "table", True), ("table_highlight", "background", "table", True),
          ("table_highlight", "table_band", "table", True))


def _check_palette(doc: Document) -> list[Diagnostic]:
    """Every text/fill pair the theme itself makes meets WCAG AA at the smallest size it may be drawn
    (a role on the background, on the table band, on the code fill; table headers; highlights)."""
    data, errors = doc.data, []
    colors = data["colors"]
    pairs: list[tuple[tuple[str, ...], str, str, str, bool]]
    pairs = [(("text", role, "color"), spec.get("color", "text"), ground, role, spec.get("bold", False))
             for role, spec in data["text"].items()
             for ground in ("background", *(("table_band",) if role == "table" else ()),
                            *(("code_bg",) if role == "code" else ()))]
    pairs += [(("colors", fg), fg, ground, role, bold) for fg, ground, role, bold in _PAIRS]
    for where, fg, ground, role, bold in pairs:
        if ground not in colors or (not fg.startswith("#") and fg not in colors) or role not in data["text"]:
            continue
        spec = data["text"][role]
        size = min(spec["size"], spec.get("min_size", data.get("min_size", Theme.min_size)))
        ratio = contrast(_color_value(data, fg), _color_value(data, ground))
        need = required(size, bold or spec.get("bold", False))
        if ratio < need:
            errors.append(_error(doc, where, f"'{fg}' on '{ground}' has contrast {ratio:.2f}:1, WCAG AA needs "
                                             f"{need:g}:1 at {size:g} pt", "darken or lighten one of the two"))
    return errors


def _build(doc: Document, fonts: dict[str, FontFace], footer: Footer) -> Theme:
    data = doc.data
    scalars: dict[str, Any] = {}
    for path, field_name in _SCALARS:
        value = _scalar(data, path)
        if value is not None:
            scalars[field_name] = float(value) if field_name != "columns" else int(value)
    return Theme(
        name=data["name"],
        **scalars,
        colors=dict(data["colors"]),
        fonts=fonts,
        roles={name: TextRole(**spec) for name, spec in data["text"].items()},
        layouts={
            name: GridLayout(areas=tuple(tuple(row.split()) for row in spec["areas"]), rows=tuple(spec["rows"]))
            for name, spec in data["layouts"].items()
        },
        series=tuple(data.get("series", ())),
        footer=footer,
        template=_template(doc),
        floors=_floors(data),
        source=doc.path,
        kernel_classes=tuple((r["match"], r["class"]) for r in data.get("kernel_classes", ())),
    )


def _template(doc: Document) -> str:
    """The ``template:`` file, next to the theme file that names it (checked in ``_template_errors``)."""
    if "template" not in doc.data:
        return ""
    here = os.path.dirname(os.path.abspath(doc.pos("template").path))
    return os.path.normpath(os.path.join(here, os.path.expanduser(doc.data["template"])))


def _template_errors(doc: Document) -> list[Diagnostic]:
    path = _template(doc)
    if not path:
        return []
    if not path.lower().endswith((".pptx", ".potx")):
        return [_error(doc, ("template",), f"{doc.data['template']}: a template is a .pptx or .potx file")]
    if not os.path.isfile(path):
        return [_error(doc, ("template",), f"{doc.data['template']}: no such file")]
    return []


def _footer(doc: Document) -> tuple[Footer, list[Diagnostic]]:
    """The ``footer:`` section; its logo is found next to the theme file that names it and must be
    a PNG or JPEG whose pixel size can be read."""
    spec = dict(doc.data.get("footer", {}))
    errors = []
    for key in ("badge_fill", "badge_text"):
        if key in spec:
            errors += _check_color(doc, ("footer", key), spec[key])
    if "role" in spec and spec["role"] not in doc.data["text"]:
        errors.append(_error(doc, ("footer", "role"), f"no text role '{spec['role']}' in text"))
    if "logo" in spec:
        here = os.path.dirname(os.path.abspath(doc.pos("footer/logo").path))
        path = os.path.normpath(os.path.join(here, os.path.expanduser(spec["logo"])))
        size = _image_size(path)
        if isinstance(size, str):
            errors.append(_error(doc, ("footer", "logo"), f"{spec['logo']}: {size}"))
        else:
            spec.update(logo=path, logo_px=size)
    return Footer(**spec), errors


def _image_size(path: str) -> tuple[int, int] | str:
    """The pixel size of a PNG or JPEG, or why it has none."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format not in ("PNG", "JPEG"):
                return f"is {image.format}, not PNG or JPEG"
            width, height = image.size
            return int(width), int(height)
    except (OSError, UnidentifiedImageError) as err:
        return f"cannot be read ({err})"


def load_theme(name_or_path: str, deck_dir: str, pos: Pos | None = None) -> Theme:
    """Load a theme by name (``themes/`` next to the deck, then the repo's) or by path (relative to the deck).

    ``pos`` is where the name was given (the deck's ``theme:``), so an unknown theme points there.
    Every problem of a stage (schema, grid/roles, fonts) is reported together as one SpecError.
    """
    path = _locate(name_or_path, deck_dir, _theme_dirs(deck_dir), pos)
    doc = _load_chain(path, deck_dir, (), pos)
    errors = schema_diagnostics(_theme_validator(), doc.data, doc)
    if not errors:
        errors = _check_roles(doc) + _check_layouts(doc) + _check_spacing(doc) + _check_kernel_classes(doc)
    if not errors:
        errors = _check_scale(doc) + _check_palette(doc)
    fonts: dict[str, FontFace] = {}
    footer = Footer()
    if not errors:
        footer, errors = _footer(doc)
        errors += _template_errors(doc)
    if not errors:
        fonts, errors = _resolve_fonts(doc)
    if errors:
        raise SpecError(sorted(errors, key=lambda d: (d.pos.path, d.pos.line, d.pos.col) if d.pos else ("", 0, 0)))
    return _build(doc, fonts, footer)
