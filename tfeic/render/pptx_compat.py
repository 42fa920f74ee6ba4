"""Every use of a python-pptx private name, each behind one small named function or class.

python-pptx 1.0 has no public way to do a few things a proven, byte-stable, linear-time deck needs
(each docstring below says which and why). Reaching into its internals is kept here and nowhere
else, so an upgrade that renames one breaks one module, and ``PRIVATE_NAMES`` lists them as data:
``tests/render/test_pptx_compat.py`` checks that each still exists in the installed python-pptx and
that no other module of tfeic uses one. ``pyproject.toml`` pins python-pptx below its next minor.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from datetime import datetime
from xml.sax.saxutils import escape

from pptx.package import _ImageParts
from pptx.shapes.shapetree import GroupShapes
from pptx.util import lazyproperty

# (module, owner, name): ``owner`` is a class of ``module`` (None: ``name`` is the module's own).
PRIVATE_NAMES: tuple[tuple[str, str | None, str], ...] = (
    ("pptx.package", None, "_ImageParts"),
    ("pptx.parts.presentation", "PresentationPart", "_next_slide_partname"),
    ("pptx.opc.package", "_Relationships", "_add_relationship"),
    ("pptx.oxml.presentation", "CT_SlideIdList", "_add_sldId"),
    ("pptx.chart.axis", "_BaseAxis", "_element"),
    ("pptx.shapes.shapetree", "GroupShapes", "_recalculate_extents"),
    ("pptx.chart.xlsx", "_BaseWorkbookWriter", "_open_worksheet"),
    ("pptx.chart.xlsx", "_BaseWorkbookWriter", "_chart_data"),
    ("pptx.chart.data", "_BaseChartData", "_workbook_writer"),
    ("pptx.chart.data", "_BaseChartData", "_number_format"),
)


def image_parts(package):
    """Every image part of ``package``. Public python-pptx finds an image only by walking every
    relationship per added picture (quadratic); ``LinearPackage`` indexes them once by SHA-1."""
    return _ImageParts(package)


def next_slide_partname(presentation_part):
    """The partname ``add_slide`` would give the next slide. python-pptx names slides only inside
    ``add_slide``, which ``SlideAppender`` replaces to avoid its per-slide scans."""
    return presentation_part._next_slide_partname


def relate_new_part(part, reltype: str, target) -> str:
    """A new relationship from ``part`` to the brand-new ``target``, returning its rId. The public
    ``relate_to`` first scans every relationship for an existing one, which a new part cannot have."""
    rId: str = part.rels._add_relationship(reltype, target)
    return rId


def add_slide_id(id_list, slide_id: int, rId: str) -> None:
    """Append ``<p:sldId id=slide_id r:id=rId>`` to ``p:sldIdLst``. The public ``add_sldId``
    recomputes the next id by reading every slide id; ``SlideAppender`` keeps a counter instead."""
    id_list._add_sldId(id=slide_id, rId=rId)


def axis_element(axis):
    """The ``c:catAx``/``c:valAx`` element of a chart axis: python-pptx has no public handle on it,
    and upright labels and label skips (``c:tickLblSkip``) have no API."""
    return axis._element


class DeferredExtentShapes(GroupShapes):
    """A group's child collection that does not refit the group after every added child.

    python-pptx recomputes a group's extents (a walk over all its children) on each ``add_*``, which
    makes filling a group quadratic: a timeline of a few hundred rects spent most of the build there.
    The children are added here first and the caller computes the extents once
    (``group.element.recalculate_extents()``). python-pptx has no switch for it, so the private hook
    is overridden.
    """

    def _recalculate_extents(self) -> None:
        pass


class _Stamped:
    """Mixin for python-pptx's workbook writers: the workbook carries ``created``, not "now".

    XlsxWriter stamps the embedded workbook's ``docProps/core.xml`` with the current time, and
    python-pptx opens the workbook in a private method with no way to pass properties."""

    _chart_data: _DatedChartData  # the writer's, set by python-pptx

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        from xlsxwriter import Workbook

        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": self._chart_data.created})
        yield workbook, workbook.add_worksheet()
        workbook.close()


class _DatedChartData:
    """Mixin for python-pptx's chart data: the workbook carries ``created`` (chart data picks its
    workbook writer in a private property), and the number format is XML-escaped where python-pptx
    pastes it into the chart XML unescaped (a format such as ``0.0" <x>"`` would otherwise break the
    part; only the private attribute holds it); the workbook gets it as written."""

    writer: type
    _number_format: str  # the chart data's, set by python-pptx

    def __init__(self, created: datetime, number_format: str):
        super().__init__(number_format)  # type: ignore[call-arg]  # the python-pptx chart data mixed with this
        self.created = created

    @lazyproperty
    def _workbook_writer(self):
        return self.writer(self)

    def xml_bytes(self, chart_type) -> bytes:
        written = self._number_format
        self._number_format = escape(written)
        try:
            return super().xml_bytes(chart_type)  # type: ignore[misc, no-any-return]  # (as in __init__)
        finally:
            self._number_format = written


def dated_chart_data(xy: bool, created: datetime, number_format: str):
    """python-pptx chart data (``XyChartData`` when ``xy``, else ``CategoryChartData``) whose embedded
    workbook is dated ``created`` and whose number format reaches the chart XML escaped."""
    return _dated_chart_data_classes()[xy](created, number_format)


@functools.cache
def _dated_chart_data_classes() -> dict[bool, type]:
    """The two chart data classes, built on first use: python-pptx's chart modules import XlsxWriter,
    and only a deck with a chart should pay for that at start-up."""
    from pptx.chart.data import CategoryChartData, XyChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter, XyWorkbookWriter

    class CategoryWriter(_Stamped, CategoryWorkbookWriter):
        pass

    class XyWriter(_Stamped, XyWorkbookWriter):
        pass

    class DatedCategoryChartData(_DatedChartData, CategoryChartData):
        writer = CategoryWriter

    class DatedXyChartData(_DatedChartData, XyChartData):
        writer = XyWriter

    return {False: DatedCategoryChartData, True: DatedXyChartData}
