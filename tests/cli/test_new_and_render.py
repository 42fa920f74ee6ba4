"""``tfeic new`` scaffolds a deck that builds; ``tfeic render`` previews it through LibreOffice."""

from __future__ import annotations

import shutil

import pytest


def test_new_scaffolds_a_deck_that_builds(cli, tmp_path):
    res = cli("new", "my-talk", "--dir", str(tmp_path))
    assert res.code == 0, res.err
    deck = tmp_path / "my-talk.yaml"
    assert deck.read_text().startswith("# yaml-language-server: $schema=")
    assert (tmp_path / "data" / "my-talk").is_dir()
    assert cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "-q").code == 0
    assert cli("new", "my-talk", "--dir", str(tmp_path)).code == 2  # never overwrites


def test_new_rejects_a_name_that_is_not_a_file_name(cli, tmp_path):
    assert cli("new", "../escape", "--dir", str(tmp_path)).code == 2


def test_render_without_libreoffice_names_the_package(cli, deck, tmp_path, monkeypatch):
    pptx = tmp_path / "x.pptx"
    assert cli("build", str(deck), "-o", str(pptx), "-q").code == 0
    monkeypatch.setenv("PATH", str(tmp_path))
    res = cli("render", str(pptx), "--pdf", str(tmp_path / "x.pdf"))
    assert res.code == 3 and "libreoffice-impress" in res.err


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_render_pngs_and_contact_sheet(cli, deck, tmp_path):
    from PIL import Image

    pptx = tmp_path / "deck.pptx"
    assert cli("build", str(deck), "-o", str(pptx), "-q").code == 0
    res = cli("render", str(pptx), "--png", str(tmp_path / "png"), "--contact-sheet", str(tmp_path / "sheet.png"))
    assert res.code == 0, res.err
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == [f"slide-00{i}.png" for i in range(1, 5)]
    with Image.open(tmp_path / "sheet.png") as sheet:
        assert sheet.width > 4 * 320
