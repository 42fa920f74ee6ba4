"""``reproducibility``: how to rebuild this deck: tfeic version, the command line, where each
source's data came from in this build (its mode: ``tfeic.core.provenance``), and the sha256 of the
spec, the theme and every input file. Never environment variables, headers or keys."""

from __future__ import annotations

from ..core.provenance import DESCRIPTIONS
from ..ir import Slide, TableBlock
from . import DIRECTIVES, Directive


@DIRECTIVES.register
class ReproducibilityDirective(Directive):
    name = "reproducibility"
    summary = "tfeic version, command line, each source's mode (synthetic, replayed, constructed, ...), and sha256 of the spec, theme and every input file."
    late = True  # expanded after the other slides, so images they use are listed too
    schema = {"type": "object", "properties": {}, "additionalProperties": False}

    def expand(self, spec, data, ctx):
        b = ctx.build
        rows = [
            ("tfeic", b.version, ""),
            ("command", " ".join(b.command), ""),
            ("spec", b.spec_path, b.spec_sha256),
            ("theme", b.theme, b.theme_sha256),
        ]
        rows += [(f"source {name}", f"{kind}: {DESCRIPTIONS[mode]}", "") for name, kind, mode in b.sources]
        rows += [("input", path, digest) for path, digest in b.inputs]
        # the digest on a line under its file: 64 hex digits need most of the width at the dense floor
        cells = [(what, f"{value}\nsha256 {digest}" if digest else value) for what, value, digest in rows]
        table = TableBlock(
            area="body",
            header=("what", "value"),
            rows=tuple(cells),
            role="code",
            expect_shrink=True,  # a sha256 never fits at the code size; that is no news to the author
        )
        return [Slide(title=spec.options.get("title", "Reproducibility"), layout=self.layout_of(spec), blocks=(table,))]

