"""The .pptx package: a python-pptx package whose part naming is linear and can be steered.

A workaround for python-pptx 1.0, small and local: part naming is quadratic (python-pptx issue
644): ``OpcPackage.next_partname`` and ``Package.next_image_partname`` walk every part of the
package to name one new part, and ``get_or_add_image_part`` walks every relationship to find a
duplicate image. A 500-slide deck with notes makes 500 such walks over a growing graph.
``LinearPackage`` scans once per name prefix, then hands out names from a counter, and remembers
images by SHA-1.

Because names come from counters, a slide can also be drawn alone under the names a whole deck
gives it (``number_from``, ``SlideAppender.add(layout, number)``): that is how a rebuild redraws
only the slides that changed (``tfeic.render.reuse``). Byte-stable zipping is in ``archive``.
"""

from __future__ import annotations

import os

import pptx
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.package import Package
from pptx.parts.image import Image, ImagePart
from pptx.parts.slide import SlidePart

from .pptx_compat import add_slide_id, image_parts, next_slide_partname, relate_new_part

DEFAULT_TEMPLATE = os.path.join(os.path.dirname(pptx.__file__), "templates", "default.pptx")
SLIDE_PARTNAME = "/ppt/slides/slide%d.xml"  # python-pptx's own pattern (pptx_compat.next_slide_partname)
NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"  # python-pptx's own pattern (NotesSlidePart.new)


class LinearPackage(Package):
    """A ``pptx.package.Package`` that names new parts from counters instead of scanning."""

    def __init__(self, pkg_file):
        super().__init__(pkg_file)
        self._last_index: dict[str, int] = {}
        self._images_by_sha1: dict[str, ImagePart] | None = None

    def next_partname(self, tmpl: str) -> PackURI:
        """``tmpl % n`` for the next ``n`` after every existing part with the same prefix."""
        return PackURI(tmpl % self._next_index(_prefix(tmpl)))

    def number_from(self, tmpl: str, n: int) -> None:
        """Make the next ``next_partname(tmpl)`` be ``tmpl % n`` (a slide drawn alone gets the notes
        slide number it has in the whole deck)."""
        self._last_index[_prefix(tmpl)] = n - 1

    def next_image_partname(self, ext: str) -> PackURI:
        return PackURI("/ppt/media/image%d.%s" % (self._next_index("/ppt/media/image"), ext))

    def get_or_add_image_part(self, image_file) -> ImagePart:
        """The image part holding ``image_file``'s bytes, shared by every slide that shows them."""
        if self._images_by_sha1 is None:
            self._images_by_sha1 = {part.sha1: part for part in image_parts(self) if hasattr(part, "sha1")}
        image = Image.from_file(image_file)
        part = self._images_by_sha1.get(image.sha1)
        if part is None:
            part = self._images_by_sha1[image.sha1] = ImagePart.new(self, image)
        return part

    def _next_index(self, prefix: str) -> int:
        if prefix not in self._last_index:
            self._last_index[prefix] = max(
                (p.partname.idx or 0 for p in self.iter_parts() if p.partname.startswith(prefix)), default=0
            )
        self._last_index[prefix] += 1
        return self._last_index[prefix]


class SlideAppender:
    """``prs.slides.add_slide`` without its two per-slide scans (python-pptx 1.0 looks for an
    existing relationship to the brand-new slide part and re-reads every slide id), which made
    500-slide decks quadratic. Same parts, relationships and ids as ``add_slide``."""

    def __init__(self, prs):
        self._part = prs.part
        self._id_list = prs.element.get_or_add_sldIdLst()
        self._next_id = max([255] + [int(s.id) for s in self._id_list.sldId_lst]) + 1

    def add(self, layout, number: int | None = None):
        """A new slide on ``layout``, named ``slide<number>.xml`` when a number is given (to draw
        one slide of a deck alone under its name in the deck), else the next in order."""
        part = self._part
        partname = PackURI(SLIDE_PARTNAME % number) if number else next_slide_partname(part)
        slide_part = SlidePart.new(partname, part.package, layout.part)
        rId = relate_new_part(part, RT.SLIDE, slide_part)  # new part: nothing to match
        slide_part.slide.shapes.clone_layout_placeholders(layout)
        add_slide_id(self._id_list, self._next_id, rId)
        self._next_id += 1
        return slide_part.slide


def new_presentation(template: str = ""):
    """A python-pptx ``Presentation`` on ``template`` (a company's .pptx/.potx, its slides dropped:
    ``render.template``) or else python-pptx's default template, backed by a ``LinearPackage``."""
    if template:
        from .template import open_template

        return open_template(template)
    return LinearPackage.open(DEFAULT_TEMPLATE).main_document_part.presentation


def _prefix(tmpl: str) -> str:
    """The part of a partname template before its number: '/ppt/media/image' for '...image%d.png'."""
    return tmpl[: (tmpl % 42).find("42")]
