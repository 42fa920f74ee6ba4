"""``speculation``: prompt-lookup (n-gram) speculative decoding, replayed on the slide's own text.

Left: the prompt (muted) and the output, each output token coloured by what happened to it:
accepted draft tokens (one forward pass verified several), the token where a draft diverged
(its proposal rejected from there), and tokens generated with no draft. Right: the numbers of the
replay (``tfeic.domains.trtllm.speculation``), all computed from the text, the window and the candidate
count. The notes list every proposal.
"""

from __future__ import annotations

from typing import Any
from tfeic.core.diagnostics import SpecError
from tfeic.ir import Paragraph, Slide, Span, TableBlock, TextBlock
from ..speculation import Replay, replay
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic

# colour and a second cue (weight, slant) apart: accepted bold green, rejected italic orange-red, plain
KIND_STYLE: dict[str, dict[str, Any]] = {"accepted": {"color": "accent", "bold": True},
                                         "rejected": {"color": "accent3", "italic": True}, "plain": {}}


def coloured_output(r: Replay) -> Paragraph:
    spans = []
    for token, kind in zip(r.output, r.token_kinds()):
        spans.append(Span(token.space + token.text, **KIND_STYLE[kind]))
    return Paragraph(tuple(spans))


def numbers_table(r: Replay) -> TableBlock:
    rows = (
        ("n-gram window", str(r.window)),
        ("candidate tokens", str(r.candidates)),
        ("output tokens", str(len(r.output))),
        ("forward passes", str(r.forward_passes)),
        ("tokens per pass", f"{r.tokens_per_pass:.2f}"),
        ("draft tokens proposed", str(r.proposed)),
        ("draft tokens accepted", str(r.accepted)),
        ("acceptance rate", f"{r.acceptance_rate:.0%}"),
    )
    return TableBlock("right", header=("prompt lookup", "value"), rows=rows, col_align=("left", "right"), name="numbers")


def proposal_notes(r: Replay) -> str:
    lines = [f"Tokens are words and punctuation (regex \\w+|[^\\w\\s]); window {r.window}, {r.candidates} candidates."]
    for s in r.steps:
        if s.proposed:
            lines.append(f"at token {s.start}: matched {' '.join(s.ngram)!r}, proposed {' '.join(s.proposed)!r}, "
                         f"accepted {s.accepted}")
    return "\n".join(lines)


@DIRECTIVES.register
class SpeculationDirective(Directive):
    name = "speculation"
    summary = "Prompt-lookup (n-gram) speculative decoding replayed on a text: accepted and rejected drafts coloured, acceptance rate."
    default_layout = "two-columns"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["prompt", "output"],
        "properties": {
            "prompt": {"type": "string", "description": "The context the lookup searches (prompt)."},
            "output": {"type": "string", "description": "The text generated after it; the replay treats it as the model's output."},
            "window": {"type": "integer", "minimum": 1, "default": 3, "description": "Longest n-gram matched (draft_matching_window_size)."},
            "candidates": {"type": "integer", "minimum": 1, "default": 10, "description": "Draft tokens proposed per match (draft_num_candidate_tokens)."},
            "layout": {"const": "two-columns"},
        },
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        r = replay(o["prompt"], o["output"], int(o.get("window", 3)), int(o.get("candidates", 10)))
        if not r.output:
            raise SpecError(slide_diagnostic(spec, "output", "no tokens to generate", spec.pos_of("output")))
        legend = Paragraph((Span("accepted draft", **KIND_STYLE["accepted"]), Span("  \u00b7  "),
                            Span("draft rejected here", **KIND_STYLE["rejected"]), Span("  \u00b7  no draft")))
        prompt = Paragraph(tuple(Span(t.space + t.text, color="muted", italic=True) for t in r.prompt))
        text = TextBlock("left", paragraphs=(legend, prompt, coloured_output(r)), name="text")
        title = o.get("title") or f"Prompt lookup: {r.acceptance_rate:.0%} of draft tokens accepted"
        notes = "\n".join(n for n in (spec.notes, proposal_notes(r)) if n)
        return [Slide(title, "two-columns", (text, numbers_table(r)), notes=notes)]
