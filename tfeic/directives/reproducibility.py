"""``reproducibility``: how to rebuild this deck: tfeic version, the command line, and the sha256 of
the spec, the theme and every input file. Never environment variables, headers or keys."""

from __future__ import annotations

from ..ir import Slide, TableBlock
from . import DIRECTIVES, Directive


@DIRECTIVES.register
class ReproducibilityDirective(Directive):
    name = "reproducibility"
    summary = "tfeic version, command line, and sha256 of the spec, theme and every input file."
    late = True  # expanded after the other slides, so images they use are listed too
    schema = {"type": "object", "properties": {}, "additionalProperties": False}

    def expand(self, spec, data, ctx):
        b = ctx.build
        rows = [
            ("tfeic", b.version, ""),
            ("command", " ".join(b.command), ""),
            ("mode", "dry run (synthetic data)" if b.dry_run else "recorded/real data", ""),
            ("spec", b.spec_path, b.spec_sha256),
            ("theme", b.theme, b.theme_sha256),
        ]
        rows += [("input", path, digest) for path, digest in b.inputs]
        table = TableBlock(
            area="body",
            header=("what", "value", "sha256"),
            rows=tuple(rows),
            col_weights=(1.0, 3.0, 4.2),
            role="code",
            expect_shrink=True,  # a sha256 never fits at the code size; that is no news to the author
        )
        return [Slide(title=spec.options.get("title", "Reproducibility"), layout=self.layout_of(spec), blocks=(table,))]
