"""Prompt lookup replayed on a text small enough to check by hand."""

from tfeic.domains.trtllm.speculation import lookup, replay, tokenize


def test_tokens_are_words_and_punctuation_with_their_spaces():
    assert [(t.space, t.text) for t in tokenize("a dog, ok.")] == [("", "a"), (" ", "dog"), ("", ","), (" ", "ok"), ("", ".")]


def test_lookup_prefers_the_longest_ngram_then_the_earliest_match():
    ctx = "x a b c y a b d a b".split()
    assert lookup(ctx, 3, 2) == (("a", "b"), ("c", "y"))  # 'd a b' is not earlier; 'a b' first at 1
    assert lookup(ctx, 1, 10) == (("b",), ("c", "y", "a", "b", "d", "a", "b"))
    assert lookup("p q".split(), 3, 5) == ((), ())


def test_replay_spans_and_acceptance_rate():
    # prompt: The quick brown fox jumps over the lazy dog .   output: The quick brown fox jumps over the lazy cat .
    r = replay("The quick brown fox jumps over the lazy dog.", "The quick brown fox jumps over the lazy cat.", 3, 10)
    # pass 1: context ends in '.', never seen before -> no draft, 'The' generated
    # pass 2: 'The' matches position 0 -> draft 'quick ... dog . The' (10); 7 accepted, 'cat' generated
    # pass 3: 'cat' unseen -> '.' generated
    assert [(s.proposed and s.proposed[0], s.accepted, s.produced) for s in r.steps] == [((), 0, 1), ("quick", 7, 8), ((), 0, 1)]
    assert r.token_kinds() == ("plain",) + ("accepted",) * 7 + ("rejected", "plain")
    assert (r.proposed, r.accepted, r.acceptance_rate, r.forward_passes) == (10, 7, 0.7, 3)


def test_candidates_cap_the_draft():
    r = replay("a b c d e f", "a b c d e f", window=2, candidates=2)
    assert max(len(s.proposed) for s in r.steps) == 2 and sum(s.produced for s in r.steps) == 6
