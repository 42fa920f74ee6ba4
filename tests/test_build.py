"""End-to-end builds through the CLI: outputs, determinism, exit codes, atomic writes."""

from __future__ import annotations

import hashlib
import textwrap
import zipfile
from pathlib import Path

from pptx import Presentation

REPO = Path(__file__).resolve().parent.parent

EXABYTE = str(REPO / "decks" / "exabyte.yaml")


def write_deck(tmp_path, body: str, name: str = "deck.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return str(path)


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_exabyte_builds_twice_to_identical_bytes(cli, tmp_path):
    a, b = tmp_path / "a.pptx", tmp_path / "b.pptx"
    assert cli("build", EXABYTE, "-o", str(a), "--dry-run").code == 0
    assert cli("build", EXABYTE, "-o", str(b), "--dry-run").code == 0
    assert sha(a) == sha(b)
    prs = Presentation(str(a))
    assert len(prs.slides) >= 7
    assert prs.slide_width == 12192000 and prs.slide_height == 6858000


def test_build_writes_proof_json(cli, tmp_path):
    import json

    proof = tmp_path / "proof.json"
    res = cli("build", EXABYTE, "-o", str(tmp_path / "x.pptx"), "--proof", str(proof), "--dry-run")
    assert res.code == 0, res.err
    data = json.loads(proof.read_text())
    assert isinstance(data, dict) and data["slides"]
    boxes = [box for slide in data["slides"] for box in slide["boxes"]]
    assert boxes and all("font_size" in box or box.get("kind") in ("image", "shapes") for box in boxes)


def test_validate_writes_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = cli("validate", EXABYTE, "--dry-run")
    assert res.code == 0, res.err
    assert list(tmp_path.iterdir()) == []


def test_default_output_is_build_dir(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("build", EXABYTE, "--dry-run", "-q").code == 0
    assert (tmp_path / "build" / "exabyte.pptx").is_file()


def test_notes_and_text_boxes_have_no_autofit(cli, tmp_path):
    out = tmp_path / "x.pptx"
    assert cli("build", EXABYTE, "-o", str(out), "--dry-run").code == 0
    prs = Presentation(str(out))
    assert "compiled from data" in prs.slides[0].notes_slide.notes_text_frame.text
    with zipfile.ZipFile(out) as z:
        slide_xml = [z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide")]
    assert all("normAutofit" not in x for x in slide_xml)
    assert any("noAutofit" in x for x in slide_xml)


def test_unknown_directive_is_exit_2_with_position_and_suggestion(cli, tmp_path):
    deck = write_deck(tmp_path, """\
        title: T
        slides:
          - kind: bulets
            items: [a]
        """)
    res = cli("build", deck, "-o", str(tmp_path / "o.pptx"))
    assert res.code == 2
    assert f"{deck}:3:11: error: slides[0].kind: unknown directive 'bulets' (did you mean 'bullets'?)" in res.err
    assert "Traceback" not in res.err
    assert not (tmp_path / "o.pptx").exists()


def test_failed_build_leaves_existing_output_untouched(cli, tmp_path):
    out = tmp_path / "o.pptx"
    out.write_bytes(b"previous build")
    deck = write_deck(tmp_path, """\
        title: T
        slides:
          - kind: image
            title: Missing picture
            path: nowhere.png
        """)
    res = cli("build", deck, "-o", str(out))
    assert res.code == 3
    assert "nowhere.png" in res.err and ":5:" in res.err
    assert out.read_bytes() == b"previous build"


def test_output_may_not_overwrite_an_input(cli, tmp_path):
    deck = write_deck(tmp_path, """\
        title: T
        slides:
          - kind: title
        """)
    before = open(deck).read()
    res = cli("build", deck, "-o", deck)
    assert res.code == 2 and any(line.startswith(f"{deck}: error: output ") and "refusing to overwrite it" in line for line in res.err.splitlines())
    assert open(deck).read() == before


def test_theme_switch_needs_no_code(cli, tmp_path):
    light, dark = tmp_path / "l.pptx", tmp_path / "d.pptx"
    assert cli("build", EXABYTE, "-o", str(light), "--dry-run").code == 0
    assert cli("build", EXABYTE, "-o", str(dark), "--dry-run", "--theme", "dark").code == 0
    assert sha(light) != sha(dark)
    with zipfile.ZipFile(dark) as z:
        assert "0D1117" in z.read("ppt/slides/slide1.xml").decode()


def test_version_and_list(cli):
    from tfeic import __version__

    assert __version__ in cli("--version").out
    names = cli("list", "directives").out
    for name in ("title", "section", "bullets", "text", "columns", "table", "image", "reproducibility"):
        assert any(line.split()[0] == name for line in names.splitlines())
    assert "light" in cli("list", "themes").out and "dark" in cli("list", "themes").out


def test_set_override_changes_a_field(cli, tmp_path):
    deck = write_deck(tmp_path, """\
        title: Original
        slides:
          - kind: title
        """)
    out = tmp_path / "o.pptx"
    assert cli("build", deck, "-o", str(out), "--set", "title=Overridden").code == 0
    prs = Presentation(str(out))
    texts = [sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame]
    assert "Overridden" in texts


def test_reproducibility_lists_spec_digest_and_no_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("TFEIC_TEST_SECRET", "s3cr3t-value")
    deck = write_deck(tmp_path, """\
        title: T
        slides:
          - kind: reproducibility
        """)
    out = tmp_path / "o.pptx"
    assert cli("build", deck, "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert hashlib.sha256(open(deck, "rb").read()).hexdigest() in xml
    assert "s3cr3t-value" not in xml


def test_no_traceback_on_internal_style_failure_of_bad_yaml(cli, tmp_path):
    deck = write_deck(tmp_path, "title: [unclosed\n")
    res = cli("validate", deck)
    assert res.code == 2 and res.err.startswith(f"{deck}:") and "Traceback" not in res.err


def test_proof_matches_its_published_schema(cli, tmp_path):
    import json

    from jsonschema import Draft202012Validator

    proof = tmp_path / "proof.json"
    assert cli("build", EXABYTE, "-o", str(tmp_path / "x.pptx"), "--proof", str(proof)).code == 0
    schema = json.loads((REPO / "schemas" / "proof.schema.json").read_text())
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(proof.read_text())))
    assert errors == []
