"""Prompt-lookup (n-gram) speculative decoding, replayed on a known text.

Prompt Lookup Decoding proposes draft tokens without a draft model: take the last n tokens of the
context (n from ``window`` down to 1), find the earliest earlier occurrence of that n-gram whose
continuation is non-empty, and propose up to ``candidates`` tokens that followed it (this is
Hugging Face's ``PromptLookupCandidateGenerator``, with ``draft_matching_window_size`` = window and
``draft_num_candidate_tokens`` = candidates). The model verifies all of them in one forward pass
and keeps the longest prefix that matches what it would have generated, plus one token of its own.

Here "what the model would have generated" is the given output text itself, so every number is
exact: which spans were proposed, how many tokens of each were accepted, forward passes, and the
acceptance rate (accepted / proposed draft tokens).

Tokens: a real model uses its own tokenizer; this replay tokenises by words and punctuation (the
regex ``\\w+|[^\\w\\s]``: a run of letters/digits/underscore, or one other non-space character),
which keeps the spans readable on a slide. Each token keeps the whitespace before it for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_RE = re.compile(r"(\s*)(\w+|[^\w\s])")


@dataclass(frozen=True)
class Token:
    text: str  # compared when matching
    space: str  # whitespace before it, for display


def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(2), m.group(1)) for m in TOKEN_RE.finditer(text))


@dataclass(frozen=True)
class Step:
    """One forward pass of the target model while generating ``output``.

    ``start``: index into the output of the first token this step produced. ``ngram``: the matched
    n-gram (empty when the lookup found nothing). ``proposed``: the draft tokens. ``accepted``: how
    many of them matched; the step produces ``accepted + 1`` tokens (the model's own next token),
    fewer only at the end of the text.
    """

    start: int
    ngram: tuple[str, ...]
    proposed: tuple[str, ...]
    accepted: int
    produced: int


@dataclass(frozen=True)
class Replay:
    prompt: tuple[Token, ...]
    output: tuple[Token, ...]
    window: int
    candidates: int
    steps: tuple[Step, ...]

    @property
    def proposed(self) -> int:
        return sum(len(s.proposed) for s in self.steps)

    @property
    def accepted(self) -> int:
        return sum(s.accepted for s in self.steps)

    @property
    def acceptance_rate(self) -> float:
        """Accepted / proposed draft tokens (0 when nothing was ever proposed)."""
        return self.accepted / self.proposed if self.proposed else 0.0

    @property
    def forward_passes(self) -> int:
        return len(self.steps)

    @property
    def tokens_per_pass(self) -> float:
        return len(self.output) / len(self.steps) if self.steps else 0.0

    def token_kinds(self) -> tuple[str, ...]:
        """Per output token: ``accepted`` (a verified draft token), ``rejected`` (the model's own
        token where a draft was proposed but diverged), or ``plain`` (no draft was proposed)."""
        kinds = []
        for s in self.steps:
            kinds.extend(["accepted"] * s.accepted)
            if s.produced > s.accepted:
                kinds.append("rejected" if len(s.proposed) > s.accepted else "plain")
        return tuple(kinds)


def lookup(context: list[str], window: int, candidates: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(matched n-gram, proposed tokens): the longest n <= window whose last-n-gram occurs earlier
    in ``context`` with at least one token after it; the earliest such occurrence wins."""
    size = len(context)
    for n in range(min(window, size - 1), 0, -1):
        gram = context[size - n:]
        for i in range(0, size - n):
            if context[i:i + n] == gram:
                start = i + n
                return tuple(gram), tuple(context[start:min(start + candidates, size)])
    return (), ()


def replay(prompt: str, output: str, window: int = 3, candidates: int = 10) -> Replay:
    """Generate ``output`` after ``prompt`` with prompt lookup; see the module docstring."""
    if window < 1 or candidates < 1:
        raise ValueError("window and candidates must be at least 1")
    p, o = tokenize(prompt), tokenize(output)
    context = [t.text for t in p]
    target = [t.text for t in o]
    steps = []
    i = 0
    while i < len(target):
        gram, proposed = lookup(context, window, candidates)
        accepted = 0
        while accepted < len(proposed) and i + accepted < len(target) and proposed[accepted] == target[i + accepted]:
            accepted += 1
        produced = min(accepted + 1, len(target) - i)
        steps.append(Step(i, gram, proposed, accepted, produced))
        context.extend(target[i:i + produced])
        i += produced
    return Replay(p, o, window, candidates, tuple(steps))
