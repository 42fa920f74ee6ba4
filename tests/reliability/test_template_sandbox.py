"""Templates are data: they see plain values only, and their work and output are bounded.

Each attack of issue 12 is planted in a deck next to a real KV pool and built: it must end as
``harness.build`` demands (exit 2, one line) under a 10 s bound, at the template's position, with
nothing written. The templates the shipped decks use still render.
"""

from __future__ import annotations

import enum
import json
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfeic.core.diagnostics import Pos, SpecError
from tfeic.domains.kv.geometry import KvGeometry
from tfeic.domains.kv.pool import KvPool
from tfeic.core.plain import MAX_ARRAY_VALUES, MAX_ITEMS, Record, plain, template_method
from tfeic.deck.templating import render_text

from .artifacts import pptx_text
from .harness import build, fuzz, time_bound

EXABYTE = Path(__file__).resolve().parents[2] / "decks" / "data" / "exabyte"
AT = Pos("deck.yaml", 3, 4)
TARGET = "/tmp/tfeic-template-sandbox-pwned"  # what the tofile attack would create

ATTACKS = {
    "tofile": "{{ sources.kv.data.tofile('%s') }}" % TARGET,
    "tofile via item": "{{ sources.kv['data']['tofile']('%s') }}" % TARGET,
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler": "{{ cycler.__init__.__globals__.os }}",
    "format attribute walk": "{{ '{0.__class__.__base__}'.format(1) }}",
    "format_map": "{{ '{a}'.format_map({'a': 1}) }}",
    "percent width": "{{ '%0999999999d' % 1 }}",
    "percent star width": "{{ '%*d' % (999999999, 1) }}",
    "format width": "{{ '{:>999999999}'.format(1) }}",
    "format nested width": "{{ '{:{w}}'.format(1, w=999999999) }}",
    "format filter width": "{{ '%0999999999d' | format(1) }}",
    "center width": "{{ 'a' | center(999999999) }}",
    "repeat": "{{ 'a' * 10**9 }}",
    "power": "{{ 9**(9**9) }}",
    "squaring": "{% set ns = namespace(n=2**16000) %}{% for i in range(30) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "nested loops": "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
    "nested empty loops": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "doubling": "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "nested literals": "{% set a = ['x' * 100000] * 9 %}{% set b = [a, a, a, a, a, a, a, a, a] %}{{ [b, b, b] }}",
    "replace": "{{ ('a' * 900000) | replace('', 'bbbbbbbb') }}",
    "join": "{{ range(99999) | join('x' * 999) }}",
    "sum of lists": "{{ [[1] * 1000] * 1000 | sum(start=[]) }}",
    "recursive macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "exponential macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "output": "{% for i in range(99999) %}" + "x" * 100 + "{% endfor %}",
    "lipsum": "{{ lipsum(99999, min=99999, max=99999) }}",
    "live method": "{{ sources.kv.read(0, 65536) }}",
    "list mutation": "{% set l = [] %}{{ l.append(1) }}",
    "deep nesting": "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
}


def write_deck(root: Path, template: str) -> Path:
    """A deck whose one bullet is ``template`` (line 7, column 9), next to a copy of the exabyte pool."""
    for name in ("block_pool.bin", "block_pool.json"):
        shutil.copy(EXABYTE / name, root / name)
    (root / "deck.yaml").write_text(
        "title: sandbox\nsources:\n  kv: {kind: kv, path: block_pool.bin}\nslides:\n"
        f"  - kind: bullets\n    items:\n      - {json.dumps(template)}\n")
    return root / "deck.yaml"


@pytest.mark.parametrize("template", ATTACKS.values(), ids=ATTACKS.keys())
def test_attack_is_inert(cli, tmp_path, template):
    target = Path(TARGET)
    target.unlink(missing_ok=True)
    result = build(cli, write_deck(tmp_path, template), tmp_path / "out.pptx", seconds=10)
    assert result.code == 2, result.err
    (line,) = result.err.splitlines()
    assert line.startswith(f"{tmp_path / 'deck.yaml'}:7:9: error: template error"), line
    assert not target.exists() and not (tmp_path / "out.pptx").exists()


def test_shipped_templates_still_render(cli, tmp_path):
    template = ("{{ sources.kv.geometry.layers }} layers, {{ sources.kv.geometry.bytes_per_token }} B/token, "
                "{{ sources.kv.data.shape[0] }} bytes of {{ sources.kv.data.dtype }}; {{ '%.2f' % 3.14159 }} "
                "{{ 'kv'.upper() }} {% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %} "
                "{{ range(3) | join(',') }} {{ '{:>4}'.format(7) }}")
    assert build(cli, write_deck(tmp_path, template), tmp_path / "out.pptx").code == 0
    sidecar = json.loads((EXABYTE / "block_pool.json").read_text())
    pool_bytes = (EXABYTE / "block_pool.bin").stat().st_size
    text = pptx_text(tmp_path / "out.pptx")
    assert f"{sidecar['layers']} layers" in text and f"{pool_bytes} bytes of uint8" in text
    assert "3.14 KV aba 0,1,2    7" in text


class Colour(enum.Enum):
    RED = 1


@dataclass(frozen=True)
class Sample:
    name: str
    dims: tuple
    tags: frozenset
    colour: Colour
    handle: object
    _secret: str = "hidden"

    @property
    def rank(self) -> int:
        return len(self.dims)

    @template_method
    def scaled(self, k: int) -> list:
        return [d * k for d in self.dims]

    def write(self, path: str) -> None:  # a live method: never reachable
        Path(path).write_text("written")


def test_dataclasses_become_records_of_plain_data():
    value = plain(Sample("s", (2, 3), frozenset({"b", "a"}), Colour.RED, object()))
    assert isinstance(value, Record)
    assert dict(value) == {"name": "s", "dims": [2, 3], "tags": ["a", "b"], "colour": "RED", "handle": None,
                           "rank": 2, "scaled": value["scaled"]}
    assert value["scaled"](2) == [4, 6]
    assert render_text("{{ s.rank }} {{ s.scaled(10) }} {{ s.colour }}", {"s": value}, AT) == "2 [20, 30] RED"
    for template in ("{{ s.write('%s') }}" % TARGET, "{{ s._secret }}", "{{ s.scaled.__self__ }}"):
        with pytest.raises(SpecError):
            render_text(template, {"s": value}, AT)
    assert not Path(TARGET).exists()


def test_arrays_are_summaries_never_buffers():
    small = np.arange(6, dtype=np.int16).reshape(2, 3)
    assert plain(small) == {"shape": [2, 3], "dtype": "int16", "size": 6, "values": [[0, 1, 2], [3, 4, 5]]}
    big = np.zeros(MAX_ARRAY_VALUES + 1, dtype=np.uint8)
    assert plain(big) == {"shape": [MAX_ARRAY_VALUES + 1], "dtype": "uint8", "size": MAX_ARRAY_VALUES + 1}
    assert plain(np.float32(1.5)) == 1.5 and type(plain(np.float32(1.5))) is float


def test_a_sequence_over_the_item_cap_is_refused_when_read():
    with pytest.raises(SpecError) as e:
        render_text("{{ d.rows | length }}", {"d": {"rows": tuple(range(MAX_ITEMS + 1))}}, AT)
    assert f"more than templates may read ({MAX_ITEMS})" in e.value.diagnostics[0].message


def test_work_up_to_the_bounds_renders():
    """The bounds stop attacks, not templates: a loop of 10,000 and a 100,000-character value render."""
    assert render_text("{% for i in range(10000) %}x{% endfor %}", {}, AT) == "x" * 10000
    assert render_text("{{ ('ab' * 50000) | length }}", {}, AT) == "100000"
    assert render_text("{{ '%8.3f' % 2.5 }}|{{ 'x' | center(5) }}|", {}, AT) == "   2.500|  x  |"




def test_compiling_a_template_prints_no_python_warning():
    """Jinja2 compiles ``(1)[1:]`` to Python code that Python warns about on stderr: the warning is
    silenced, the template is one error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(SpecError):
            render_text("{{ (1)[1:] }}", {}, AT)
    assert not caught


VALUES = ["1", "-3", "2.5", "'ab'", "''", "[1, 2]", "{'a': 1}", "none", "true", "range(5)", "missing",
          "sources.kv", "sources.kv.data", "sources.kv.geometry", "(1, 'a')"]
FILTERS = ["abs", "batch(2)", "center(5)", "count", "default(1)", "dictsort", "first", "float", "format(1)",
           "groupby('a')", "int", "items", "join('-')", "last", "length", "list", "lower", "map('upper')", "max",
           "replace('a', 'b')", "reverse", "round(1)", "select", "slice(2)", "sort", "string", "sum", "title",
           "trim", "truncate(2)", "unique", "upper", "wordcount", "attr('a')", "tojson", "random", "indent(2)"]
TAILS = [".upper()", ".split()", ".items()", ".get('a')", ".index(1)", ".format(1)", ".join(['a'])", "[0]",
         "['a']", "[1:]", ".shape", ".tofile('x')", ".__class__"]
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "~", "==", "in", "and", "<"]
POOL = KvPool(np.arange(2 * 4 * 2 * 2 * 16 * 64 * 2, dtype=np.uint32).astype(np.uint8), KvGeometry(4, 2, 16, 64))


def _grow(inner):
    return st.one_of(st.builds(lambda e, f: f"({e}) | {f}", inner, st.sampled_from(FILTERS)),
                     st.builds(lambda a, o, b: f"({a}) {o} ({b})", inner, st.sampled_from(OPERATORS), inner),
                     st.builds(lambda e, t: f"({e}){t}", inner, st.sampled_from(TAILS)))


@fuzz(200)
@given(expression=st.recursive(st.sampled_from(VALUES), _grow, max_leaves=6), loop=st.booleans())
def test_random_templates(expression, loop):
    """Filters, operators, methods and attributes combined at random over plain values and a real pool
    object: each renders or is one template error at the string's position (never another exception)."""
    template = f"{{% for x in {expression} %}}{{{{ x }}}}{{% endfor %}}" if loop else f"{{{{ {expression} }}}}"
    with time_bound(10):
        try:
            render_text(template, {"sources": {"kv": POOL}}, AT)
        except SpecError as e:
            (diagnostic,) = e.diagnostics
            assert diagnostic.pos == AT and diagnostic.message.startswith("template error"), diagnostic
