"""The Theme value: slide geometry, grid, named layouts, fonts, text roles and colours.

Loading (YAML, ``extends``, schema validation, font-file lookup) lives in ``tfeic.theme.load``;
this module only holds the plain value that layout and render read. All lengths are points.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FontFace:
    """A font as written into the .pptx (``family``) and the files used to measure it.

    The files are absolute paths resolved by the theme loader; a missing file is a load error,
    because measuring with a fallback font would invalidate the proof.
    """

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallback: tuple["FontFace", ...] = ()  # faces that draw what this one lacks, in order (``fallback:``)

    def file_for(self, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        if italic:
            return self.italic
        return self.regular

    def chain(self, bold: bool, italic: bool) -> tuple[str, ...]:
        """The files a character of this style is drawn from, in the order fontconfig tries them:
        this face (its style's file, then the upright and regular files of the same weight), then
        each fallback face the same way. A renderer keeps the family before the style, which is why
        italic Arabic is drawn from DejaVu Sans when DejaVu Sans Oblique lacks it."""
        files = []
        for face in (self, *self.fallback):
            files += [face.file_for(bold, italic), face.file_for(bold, False), face.regular]
        return tuple(dict.fromkeys(files))


DEFAULT_FLOORS = {"label": 12.0, "dense": 14.0, "body": 18.0}  # issue 17's type-scale floors, pt


@dataclass(frozen=True)
class TextRole:
    """A text style: which font, what size, bold or not, which colour (a theme colour name)."""

    font: str  # key into Theme.fonts
    size: float
    bold: bool = False
    italic: bool = False
    color: str = "text"
    min_size: float | None = None  # overrides Theme.min_size for this role
    max_size: float | None = None  # text and tables grow up to this size to fill their area
    reading: str = "label"  # which floor binds it: "body" (running text, tables), "dense" (hex, code), "label"


@dataclass(frozen=True)
class GridLayout:
    """A named layout: rows of area names (like CSS ``grid-template-areas``) and row heights.

    Each row string has N names where N divides the column count; each name spans columns/N grid
    columns. ``.`` is an empty cell. Row heights are ``"<n>pt"`` or ``"<n>fr"``.
    """

    areas: tuple[tuple[str, ...], ...]
    rows: tuple[str, ...]


@dataclass(frozen=True)
class Footer:
    """What the bottom margin of every slide holds (theme ``footer:``): text and a logo at the left,
    the slide's provenance badge in the middle, its number at the right. ``logo`` is an absolute
    path and ``logo_px`` its pixel size (read by the loader, so layout does no image I/O)."""

    text: str = ""
    logo: str = ""
    logo_px: tuple[int, int] = (0, 0)
    slide_numbers: bool = False
    role: str = ""  # "" = the theme's "footer" role if it has one, else "caption"
    badge_fill: str = "text"
    badge_text: str = "background"


@dataclass(frozen=True)
class Theme:
    name: str
    width: float = 960.0
    height: float = 540.0
    margin_top: float = 28.0
    margin_right: float = 36.0
    margin_bottom: float = 28.0
    margin_left: float = 36.0
    columns: int = 12
    gutter: float = 16.0
    row_gap: float = 12.0
    min_size: float = 12.0
    floors: dict[str, float] = field(default_factory=dict)  # reading -> smallest pt (the loader: DEFAULT_FLOORS)
    inset_left: float = 7.2
    inset_top: float = 3.6
    inset_right: float = 7.2
    inset_bottom: float = 3.6
    paragraph_space: float = 6.0  # points before every paragraph but the first
    bullet_indent: float = 18.0  # points per bullet level
    line_height: float = 1.2  # em per line, as LibreOffice lays out presentation text
    colors: dict[str, str] = field(default_factory=dict)
    fonts: dict[str, FontFace] = field(default_factory=dict)
    roles: dict[str, TextRole] = field(default_factory=dict)
    layouts: dict[str, GridLayout] = field(default_factory=dict)
    series: tuple[str, ...] = ()  # colour names (or #RRGGBB) for chart series, in order
    footer: Footer = field(default_factory=Footer)
    template: str = ""  # absolute path of the .pptx/.potx the deck is built on (theme.template), or ""
    source: str = ""  # the file it was loaded from (for diagnostics and reproducibility)
    # (regex, class) kernel taxonomy rules of the theme (``kernel_classes:``), tried after a deck's own
    # and before the shipped ones (tfeic/domains/timeline/taxonomy.py); the loader checked each compiles
    kernel_classes: tuple[tuple[str, str], ...] = ()

    def color(self, name_or_hex: str | None, default: str = "text") -> str:
        """Resolve a colour name (or ``#RRGGBB``) to ``RRGGBB``."""
        value = name_or_hex or default
        if not value.startswith("#"):
            value = self.colors.get(value, self.colors.get(default, "#000000"))
        return value.lstrip("#").upper()

    def series_color(self, index: int) -> str:
        """RRGGBB of the ``index``-th chart series: the palette cycles; without one, the accents."""
        palette = self.series or ("accent2", "accent", "accent3")
        return self.color(palette[index % len(palette)], "accent")

    def role(self, name: str) -> TextRole:
        return self.roles.get(name) or self.roles["body"]

    @property
    def footer_role(self) -> str:
        return self.footer.role or ("footer" if "footer" in self.roles else "caption")

    def min_size_for(self, role: str) -> float:
        r = self.role(role)
        return r.min_size if r.min_size is not None else self.min_size

    def max_size_for(self, role: str) -> float:
        """The largest size text of ``role`` grows to (its preferred size when it does not grow)."""
        r = self.role(role)
        return max(r.max_size, r.size) if r.max_size is not None else r.size

    def floor_for(self, role: str) -> float:
        """The smallest size any text of ``role`` may be drawn at: the floor of its reading kind
        (running text, a dense page, a label), never below the label floor."""
        floors = self.floors
        label = floors.get("label", 0.0)
        return max(label, floors.get(self.role(role).reading, label))
