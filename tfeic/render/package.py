"""The .pptx package: a python-pptx package whose part naming is linear, and byte-stable zipping.

Two workarounds for python-pptx 1.0, each small and local:

- Part naming is quadratic (python-pptx issue 644): ``OpcPackage.next_partname`` and
  ``Package.next_image_partname`` walk every part of the package to name one new part, and
  ``get_or_add_image_part`` walks every relationship to find a duplicate image. A 500-slide deck
  with notes makes 500 such walks over a growing graph. ``LinearPackage`` scans once per name
  prefix, then hands out names from a counter, and remembers images by SHA-1.
- ``Package.save`` stamps every zip entry with the current time. ``stable_zip`` rewrites the
  archive entry by entry, in the same order, with a fixed date, permissions and compression level,
  so the same deck gives the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile

import pptx
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.package import Package, _ImageParts
from pptx.parts.image import Image, ImagePart
from pptx.parts.slide import SlidePart

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
ZIP_LEVEL = 6
ZIP_FILE_MODE = 0o644 << 16  # regular file, rw-r--r--
ZIP_UNIX = 3  # "made by" system; fixed so archives made on any OS match

DEFAULT_TEMPLATE = os.path.join(os.path.dirname(pptx.__file__), "templates", "default.pptx")


class LinearPackage(Package):
    """A ``pptx.package.Package`` that names new parts from counters instead of scanning."""

    def __init__(self, pkg_file):
        super().__init__(pkg_file)
        self._last_index: dict[str, int] = {}
        self._images_by_sha1: dict[str, ImagePart] | None = None

    def next_partname(self, tmpl: str) -> PackURI:
        """``tmpl % n`` for the next ``n`` after every existing part with the same prefix."""
        prefix = tmpl[: (tmpl % 42).find("42")]
        return PackURI(tmpl % self._next_index(prefix))

    def next_image_partname(self, ext: str) -> PackURI:
        return PackURI("/ppt/media/image%d.%s" % (self._next_index("/ppt/media/image"), ext))

    def get_or_add_image_part(self, image_file) -> ImagePart:
        """The image part holding ``image_file``'s bytes, shared by every slide that shows them."""
        if self._images_by_sha1 is None:
            self._images_by_sha1 = {part.sha1: part for part in _ImageParts(self) if hasattr(part, "sha1")}
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
        self._id_list = prs.part._element.get_or_add_sldIdLst()
        self._next_id = max([255] + [int(s.id) for s in self._id_list.sldId_lst]) + 1

    def add(self, layout):
        part = self._part
        slide_part = SlidePart.new(part._next_slide_partname, part.package, layout.part)
        rId = part.rels._add_relationship(RT.SLIDE, slide_part)  # new part: nothing to match
        slide_part.slide.shapes.clone_layout_placeholders(layout)
        self._id_list._add_sldId(id=self._next_id, rId=rId)
        self._next_id += 1
        return slide_part.slide


def new_presentation():
    """A python-pptx ``Presentation`` on the default template, backed by a ``LinearPackage``."""
    return LinearPackage.open(DEFAULT_TEMPLATE).main_document_part.presentation


def stable_zip(archive: bytes) -> bytes:
    """``archive`` rewritten with fixed entry metadata; entry order and contents are unchanged."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            info.external_attr = ZIP_FILE_MODE
            info.create_system = ZIP_UNIX
            dst.writestr(info, src.read(entry), compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
    return out.getvalue()
