"""The ``code`` directive: commands and configuration as native, editable, highlighted text runs.

Read from the .pptx XML with zipfile and lxml (``tests/render/pptx_xml.py``), against values taken
from the theme files themselves and WCAG 2.x arithmetic written out in tests/render/wcag.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import etree

from tfeic.domains.code.highlight import highlight
from tfeic.pipeline import BuildOptions, compile_deck

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
from pptx_xml import NS, read  # noqa: E402
from wcag import contrast  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
THEMES = REPO / "tfeic" / "theme" / "themes"
BASH = 'trtllm-build --checkpoint_dir ./ckpt \\\n    --output_dir ./engine   # one per GPU\nif [ -n "$HOME" ]; then\n\techo "built"\nfi\n'
YAML = "kv_cache_config:\n  enable_block_reuse: true  # reuse\n\n  host_cache_size: 1073741824\n"
CONSOLE = "$ tfeic build decks/exabyte.yaml\nwrote build/exabyte.pptx\n"
JSON = '{"model": "llama", "max_tokens": 96, "stream": true}'
PYTHON = 'import math\ndef f(x: int) -> float:\n    return math.sqrt(x)  # root\n'
SNIPPETS = {"bash": BASH, "yaml": YAML, "console": CONSOLE, "json": JSON, "python": PYTHON}


def theme_values(name: str) -> dict:
    """A shipped theme's YAML with its ``extends`` chain merged (colours and text roles only)."""
    data = yaml.safe_load((THEMES / f"{name}.yaml").read_text())
    if "extends" in data:
        parent = theme_values(data["extends"])
        return {"colors": {**parent["colors"], **data.get("colors", {})}, "text": {**parent["text"], **data.get("text", {})},
                "fonts": {**parent["fonts"], **data.get("fonts", {})}}
    return data


def deck_of(tmp_path: Path, slides: list[dict], theme: str = "light") -> Path:
    (tmp_path / "d.yaml").write_text(yaml.safe_dump({"title": "Code", "theme": theme, "slides": slides}))
    return tmp_path / "d.yaml"


def code_shapes(pptx: bytes) -> list[etree._Element]:
    slides, _ = read(pptx)
    return [sp for s in slides for sp in s.root.iterfind("p:cSld/p:spTree/p:sp", NS)
            if sp.find("p:nvSpPr/p:cNvPr", NS).get("name") == "code"]


def runs(shape: etree._Element) -> list[tuple[str, str, str, str]]:
    """(text, colour, typeface, size) of every run of a shape."""
    return [(r.findtext("a:t", namespaces=NS), r.find("a:rPr/a:solidFill/a:srgbClr", NS).get("val"),
             r.find("a:rPr/a:latin", NS).get("typeface"), r.find("a:rPr", NS).get("sz"))
            for r in shape.iterfind(".//a:r", NS)]


def shape_text(shape: etree._Element) -> str:
    """The text as an editor shows it: runs, and a line break for every ``a:br``."""
    out = []
    for node in shape.iterfind(".//a:p/*", NS):
        tag = etree.QName(node).localname
        out.append(node.findtext("a:t", namespaces=NS) if tag == "r" else "\n" if tag == "br" else "")
    return "".join(out)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_language_is_native_monospace_text_in_colours_that_meet_wcag_aa(tmp_path, theme):
    values = theme_values(theme)
    slides = [{"kind": "code", "title": language, "language": language, "code": code}
              for language, code in SNIPPETS.items()]
    shapes = code_shapes(compile_deck(str(deck_of(tmp_path, slides, theme)), BuildOptions()).pptx)
    assert len(shapes) == len(SNIPPETS)
    role = values["text"]["code"]
    mono = values["fonts"][role["font"]]["family"]
    fill = values["colors"]["code_bg"].lstrip("#").upper()
    assert role["size"] >= 14
    for shape, code in zip(shapes, SNIPPETS.values()):
        assert shape.find("p:spPr/a:solidFill/a:srgbClr", NS).get("val") == fill
        assert shape_text(shape) == code.expandtabs(4).rstrip("\n")
        for text, color, typeface, size in runs(shape):
            assert typeface == mono and size == str(round(role["size"] * 100)), text
            assert contrast(color, fill) >= 4.5, (text, color)
        assert len({color for _, color, _, _ in runs(shape)}) >= 2  # highlighted, not one colour


def test_token_classes_get_the_themes_syntax_colours(tmp_path):
    colors = {k: v.lstrip("#").upper() for k, v in theme_values("light")["colors"].items()}
    slides = [{"kind": "code", "title": "bash", "language": "bash", "code": BASH}]
    [shape] = code_shapes(compile_deck(str(deck_of(tmp_path, slides)), BuildOptions()).pptx)
    by_text = {text: color for text, color, _, _ in runs(shape)}
    assert by_text["if"] == colors["code_keyword"]
    assert by_text['"built"'] == colors["code_string"]
    assert by_text["# one per GPU"] == colors["code_comment"]


def test_highlight_classes():
    assert highlight("if true; then echo hi; fi", "bash")[0][0] == ("if", "keyword")
    assert highlight("a:\n  b: 1 # c\n", "yaml") == [[("a", "name"), (":", "")],
                                                     [("  ", ""), ("b", "name"), (": ", ""), ("1", "string"),
                                                      (" ", ""), ("# c", "comment")]]
    assert highlight("$ ls\nx\n", "console") == [[("$ ", "comment"), ("ls", "")], [("x", "comment")]]
    assert highlight("a\tb", "text") == [[("a   b", "")]]


def test_long_code_continues_between_lines_at_the_same_size(tmp_path):
    code = "\n".join(f"print('line {i}')" for i in range(1, 61))
    slides = [{"kind": "code", "title": "Long", "language": "python", "code": code}]
    result = compile_deck(str(deck_of(tmp_path, slides)), BuildOptions())
    shapes = code_shapes(result.pptx)
    assert len(shapes) >= 2
    assert "\n".join(shape_text(s) for s in shapes) == code
    assert {size for s in shapes for *_, size in runs(s)} == {"1400"}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tfeic", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("slide, code, words", [
    ({"language": "cobol", "code": "x"}, 2, "language"),
    ({"code": "x", "path": "a.sh"}, 2, "slides[0]"),
    ({"path": "missing.sh"}, 3, "missing.sh"),
    ({"code": "x" * 200}, 4, "box code"),
])
def test_bad_code_slides_are_one_line_and_an_exit_code(tmp_path, slide, code, words):
    path = deck_of(tmp_path, [{"kind": "code", "title": "T", **slide}])
    done = cli("build", str(path), "-o", str(tmp_path / "o.pptx"), "--quiet", cwd=tmp_path)
    assert done.returncode == code, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "d.yaml:" in line and "error:" in line and words in line
    assert not (tmp_path / "o.pptx").exists()
