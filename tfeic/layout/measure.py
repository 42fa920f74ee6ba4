"""Line breaking and text height: how many lines a box of styled paragraphs needs at a given size.

The model is chosen so that its answer is an upper bound on what LibreOffice and PowerPoint draw
(reference/layout.md): widths are upper bounds (``fonts.proof_em``), breaks happen only where every
renderer breaks (at spaces; a word too long for a line is counted as the most lines any renderer's
breaking inside it can take, see ``break_lines``), and lines are filled greedily. Fewer break points
and wider words can only add lines, so "fits" here means "fits there".

A paragraph is turned once into ``Word``s whose widths are per point of font size; breaking at any
size is then arithmetic, which is what makes shrinking cheap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import NamedTuple

from ..ir import Paragraph, Span
from ..theme import FontFace, Theme
from .fonts import Chain, proof_em, widest_cluster_em

_PIECE = re.compile(r"\n| +|[^ \n]+")
# Where a word too long for a line may be broken without cutting a word in two: after a hyphen
# between two letters ("well-known", not "-5" or "a--b") and after a slash (paths, URLs).
_PIECE_BREAK = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])|(?<=/)(?=[^/])")

Position = tuple[int, int]  # (span index, character index) inside a paragraph


@dataclass(frozen=True)
class Faces:
    """The font files a box's text is measured with: the role's face, the theme's mono face for
    ``code`` spans, and the role's own weight and slant (a span can add bold/italic, not remove it)."""

    face: FontFace
    mono: FontFace
    bold: bool = False
    italic: bool = False

    def chain_for(self, span: Span) -> Chain:
        return self._chain(span.code, self.bold or span.bold, self.italic or span.italic)

    def chain(self) -> Chain:
        """The font files of the box's own text, without span styling (chart labels)."""
        return self._chain(False, self.bold, self.italic)

    def _chain(self, code: bool, bold: bool, italic: bool) -> Chain:
        """The chain of one style, worked out once per Faces: a box asks for the same few chains
        for every span, label and size."""
        chain = self._chains.get((code, bold, italic))
        if chain is None:
            chain = self._chains[code, bold, italic] = (self.mono if code else self.face).chain(bold, italic)
        return chain

    @cached_property
    def _chains(self) -> dict[tuple[bool, bool, bool], Chain]:
        return {}


@dataclass(frozen=True)
class Spacing:
    """Vertical and horizontal budget of a text box, in points (insets: left, top, right, bottom)."""

    line_height: float
    paragraph_space: float
    bullet_indent: float
    insets: tuple[float, float, float, float]

    @classmethod
    def from_theme(cls, theme: Theme) -> "Spacing":
        return cls(theme.line_height, theme.paragraph_space, theme.bullet_indent,
                   (theme.inset_left, theme.inset_top, theme.inset_right, theme.inset_bottom))

    def indent(self, paragraph: Paragraph) -> float:
        """Points a paragraph's text starts right of the inset. A bullet paragraph at ``level`` hangs
        its bullet in one indent step: text starts at (level + 1) x bullet_indent. Render writes
        ``marL`` = this value and ``indent`` = -bullet_indent for bullet paragraphs."""
        return (paragraph.level + 1) * self.bullet_indent if paragraph.bullet else 0.0

    def text_width(self, box_width: float, paragraph: Paragraph) -> float:
        return box_width - self.insets[0] - self.insets[2] - self.indent(paragraph)


class Word(NamedTuple):
    """Text between spaces, and the spaces after it. Widths are per point of size. ``piece`` is the
    widest part between acceptable break points (``_PIECE_BREAK``; the whole word when it has none),
    which a line must hold; ``glyph`` the widest character, which bounds what a renderer breaking
    the word leaves empty at a line end. A named tuple, not a dataclass: a 500-slide deck makes
    tens of thousands, and a tuple is built several times faster."""

    text: str
    width: float
    space: float
    start: Position
    end: Position  # where the content ends, before trailing spaces
    newline: bool = False  # an explicit newline follows: the next word starts a line
    piece: float = 0.0
    piece_text: str = ""
    glyph: float = 0.0


class WordTooWide(Exception):
    """Raised by ``break_lines`` when one unbreakable piece cannot fit the line at this size."""

    def __init__(self, word: str, width: float, available: float):
        super().__init__(f"word '{word}' is {width:.1f} pt wide, the box has {available:.1f} pt")
        self.word, self.width, self.available = word, width, available


WORD_MEMO = 4096  # paragraphs whose words are kept: a slide's worth many times over, a few MiB at most


@lru_cache(maxsize=None)
def _parts(piece: str, chain: Chain) -> tuple[tuple[str, int, float, float], ...]:
    """``piece`` (text between spaces, in one span) cut at its break points (``_PIECE_BREAK``): each
    part, its length, its width and its widest character per point of size. Memoised per font chain,
    because decks repeat their words; bounded by the deck's vocabulary, not its length."""
    return tuple((part, len(part), proof_em(part, chain), widest_cluster_em(part, chain))
                 for part in _PIECE_BREAK.split(piece))


def words_of(paragraph: Paragraph, faces: Faces) -> tuple[Word, ...]:
    """Split a paragraph into words at spaces. Leading spaces of a line are part of its first word
    (they take room); trailing spaces are the word's ``space`` (they hang past the edge at a line end).
    The words depend only on each span's text and font chain, so they are memoised by exactly that
    (table cells and repeated labels are split once; the engine measures a block at several sizes)."""
    return _words(tuple((span.text, faces.chain_for(span)) for span in paragraph.spans))


@lru_cache(maxsize=WORD_MEMO)
def _words(spans: tuple[tuple[str, Chain], ...]) -> tuple[Word, ...]:
    """The words of (text, chain) spans: ``_plain_words`` when there is one span that neither starts
    with a space nor holds a newline (most slide text), else ``_span_words``."""
    if len(spans) == 1 and not spans[0][0].startswith(" ") and "\n" not in spans[0][0]:
        return _plain_words(*spans[0])
    return _span_words(spans)


_WORD_AND_GAP = re.compile(r"([^ ]+)( *)")


def _plain_words(text: str, chain: Chain) -> tuple[Word, ...]:
    """``_span_words`` of one span that neither starts with a space nor holds a newline: there every
    word is one piece between spaces, whose widths ``_piece_word`` keeps, and the spaces after it."""
    words = []
    for m in _WORD_AND_GAP.finditer(text):
        piece, gap = m.group(1, 2)
        word = _piece_word(piece, chain)
        start = m.start()
        words.append(Word(piece, word.width, proof_em(gap, chain) if gap else 0.0, (0, start), (0, start + len(piece)),
                          False, word.piece, word.piece_text, word.glyph))
    return tuple(words)


@lru_cache(maxsize=None)
def _piece_word(piece: str, chain: Chain) -> Word:
    """The word ``piece`` makes alone (``_span_words`` is its definition). Memoised like ``_parts``:
    a word's widths do not depend on where it stands, only its positions do."""
    return _span_words(((piece, chain),))[0]


def _span_words(spans: tuple[tuple[str, Chain], ...]) -> tuple[Word, ...]:
    """The words of (text, chain) spans. One loop with the open word in local variables, not an
    object per word: this runs for every distinct paragraph of a deck (tens of thousands)."""
    words: list[Word] = []
    is_open = False  # a word is being read: its text, widths and positions are in the locals below
    text = piece_text = part = ""
    width = space = piece = glyph = part_width = 0.0
    start = end = (0, 0)
    for si, (span_text, chain) in enumerate(spans):
        for m in _PIECE.finditer(span_text):
            token = m.group()
            if token == "\n":
                if not is_open:
                    text, width, space, piece, piece_text, glyph, start = "", 0.0, 0.0, 0.0, "", 0.0, (si, m.start())
                    end = start
                words.append(Word(text, width, space, start, end, True, piece, piece_text, glyph))
                is_open = False
            elif is_open and token[0] == " ":
                space += proof_em(token, chain)
            else:
                if is_open and space:
                    words.append(Word(text, width, space, start, end, False, piece, piece_text, glyph))
                    is_open = False
                if not is_open:  # leading spaces of a line start a word (they take room)
                    is_open, start = True, (si, m.start())
                    end, text, width, space, piece, piece_text, glyph = start, "", 0.0, 0.0, 0.0, "", 0.0
                    part, part_width = "", 0.0
                offset, stop = m.start(), m.end()
                for part_text, length, part_em, part_glyph in _parts(token, chain):
                    offset += length
                    text += part_text
                    width += part_em
                    glyph = max(glyph, part_glyph)
                    part += part_text  # the part since the last break point, which may span spans
                    part_width += part_em
                    if part_width > piece:
                        piece, piece_text = part_width, part
                    if offset < stop:
                        part, part_width = "", 0.0
                    end = (si, offset)
    if is_open:
        words.append(Word(text, width, space, start, end, False, piece, piece_text, glyph))
    if words and words[-1].newline:  # a final newline opens an empty last line
        end = words[-1].end
        words.append(Word("", 0.0, 0.0, end, end))
    return tuple(words)


def break_lines(words: tuple[Word, ...], width: float, size: float) -> tuple[int, ...]:
    """Greedy line filling at spaces: the index of the first word of every line (at least one line).

    Renderers do not agree where else a word may break (LibreOffice breaks "tfeic-project" at its
    hyphen but not "/tmp/pytest-of-root"), so a word that fits a line is never split. A word wider
    than the line is broken by every renderer somewhere inside, at break opportunities of its own
    or between any two characters. Whatever those are, a line it fills ends only because what
    starts the next line did not fit, so any two neighbouring lines hold more than the line width
    less one character (``glyph``): with ``n = floor(width / (line - glyph)) + 1`` it takes at most
    ``2n - 1`` lines. It is given that many fresh lines (its index repeats once per line), and the
    next word starts a new line; each choice can only add lines to what a renderer draws, so the
    count stays an upper bound. Raises ``WordTooWide`` when a ``piece`` is wider than the line:
    a renderer would then cut a word in two."""
    available = width / size
    starts: list[int] = []
    line: float | None = None
    gap = 0.0
    for i, word in enumerate(words):
        if word.width > available:
            if word.piece > available or word.glyph >= available:
                raise WordTooWide(word.piece_text, word.piece * size, width)
            starts += [i] * (2 * math.floor(word.width / (available - word.glyph)) + 1)
            line = None
        elif line is not None and line + gap + word.width <= available:
            line += gap + word.width
        else:
            starts.append(i)
            line = word.width
        gap = word.space
        if word.newline:
            line = None
    return tuple(starts) or (0,)


EPSILON = 1e-6  # points; far below one EMU (7.9e-5 pt), so it only absorbs float dust like 24.000000000000004


def fits(needed: float, available: float) -> bool:
    """needed <= available, tolerant of float rounding but not of anything a renderer could draw."""
    return needed <= available + EPSILON


@dataclass(frozen=True)
class TextMeasure:
    """Where the lines of every paragraph start (word indices), and the height they need with insets."""

    size: float
    line_starts: tuple[tuple[int, ...], ...]
    height: float

    @property
    def lines(self) -> int:
        return sum(len(s) for s in self.line_starts)


def text_height(line_counts: list[int], size: float, spacing: Spacing) -> float:
    """Insets + lines x size x line_height + paragraph space between paragraphs. No paragraph at all
    still renders one empty line."""
    lines = sum(line_counts) or 1
    gaps = max(len(line_counts) - 1, 0) * spacing.paragraph_space
    return spacing.insets[1] + lines * size * spacing.line_height + gaps + spacing.insets[3]


def measure_text(paragraphs: tuple[Paragraph, ...], faces: Faces, size: float, box_width: float,
                 spacing: Spacing) -> TextMeasure:
    """Break every paragraph for a box ``box_width`` points wide; raises WordTooWide."""
    return measure_words(paragraphs, [words_of(p, faces) for p in paragraphs], size, box_width, spacing)


def measure_words(paragraphs: tuple[Paragraph, ...], words: list[tuple[Word, ...]], size: float, box_width: float,
                  spacing: Spacing) -> TextMeasure:
    """``measure_text`` of paragraphs already split into ``words`` (``words_of``): the engine splits a
    block once and breaks it at every size it tries."""
    starts = tuple(break_lines(w, spacing.text_width(box_width, p), size) for p, w in zip(paragraphs, words))
    return TextMeasure(size, starts, text_height([len(s) for s in starts], size, spacing))


def natural_width(words: tuple[Word, ...]) -> float:
    """Width per point of size of the widest explicit line when nothing wraps (for table columns)."""
    widest = line = 0.0
    gap = 0.0
    for i, word in enumerate(words):
        line = word.width if i == 0 or words[i - 1].newline else line + gap + word.width
        widest = max(widest, line)
        gap = word.space
    return widest


def widest_piece(words: tuple[Word, ...]) -> float:
    """Width per point of size of the widest unbreakable piece: the narrowest a table column may be."""
    return max((w.piece for w in words), default=0.0)


def split_paragraph(paragraph: Paragraph, words: tuple[Word, ...], first: int, end: int) -> Paragraph:
    """The part of ``paragraph`` from word ``first`` up to (not including) word ``end``, as a paragraph
    of its own; splitting at line starts leaves the wrapping of every part unchanged (greedy filling
    restarts identically after a break)."""
    begin = words[first].start if first else (0, 0)
    stop = words[end - 1].end if end < len(words) else (len(paragraph.spans) - 1, len(paragraph.spans[-1].text))
    spans = []
    for i in range(begin[0], stop[0] + 1):
        text = paragraph.spans[i].text
        lo = begin[1] if i == begin[0] else 0
        hi = stop[1] if i == stop[0] else len(text)
        if hi > lo:
            spans.append(replace(paragraph.spans[i], text=text[lo:hi]))
    return replace(paragraph, spans=tuple(spans))


def table_cells(header: tuple[str, ...] | None, rows: tuple[tuple[str, ...], ...],
                highlight: frozenset[tuple[int, int]]) -> list[list[Paragraph]]:
    """Every table row (header first) as measurable paragraphs. Header and highlighted cells are
    measured bold, so render may set them bold."""
    cells = [[Paragraph((Span(text, bold=True),)) for text in header]] if header else []
    cells += [[Paragraph((Span(text, bold=(r, c) in highlight),)) for c, text in enumerate(row)]
              for r, row in enumerate(rows)]
    return cells
