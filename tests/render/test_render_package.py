"""Same deck, same bytes (also across interpreters with different hash seeds), fixed zip metadata,
and parts named by render's counters exactly as python-pptx would name them."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import image_box, png_bytes, title_box

from tfeic.layout.placed import PlacedDeck, PlacedSlide
from tfeic.render import render_deck

REPO = Path(__file__).resolve().parents[2]

# Builds conftest's sample deck in a fresh interpreter and prints the sha256 of its rendering.
CHILD = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
import conftest
from tfeic.render import render_deck
deck = conftest.build_sample_deck(sys.argv[2])
print(hashlib.sha256(render_deck(deck)).hexdigest())
"""


def test_rendering_twice_gives_identical_bytes(sample_deck):
    assert render_deck(sample_deck) == render_deck(sample_deck)


def test_bytes_do_not_depend_on_the_interpreter(sample_deck, png_path):
    here = hashlib.sha256(render_deck(sample_deck)).hexdigest()
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=str(REPO))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(Path(__file__).parent), png_path],
        capture_output=True, text=True, env=env, cwd=REPO, check=True,
    )
    assert child.stdout.strip() == here


def test_zip_entries_have_fixed_dates_and_modes(sample_deck):
    with zipfile.ZipFile(io.BytesIO(render_deck(sample_deck))) as archive:
        infos = archive.infolist()
        assert archive.testzip() is None
    assert infos[0].filename == "[Content_Types].xml"
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr == 0o644 << 16
        assert info.compress_type == zipfile.ZIP_DEFLATED


def test_parts_are_numbered_densely_and_images_are_shared(tmp_path, png_path):
    other = tmp_path / "other.png"
    other.write_bytes(png_bytes(width=3))
    pictures = ((png_path,), (png_path,), (str(other),))
    slides = tuple(
        PlacedSlide(i + 1, None, (title_box(),) + tuple(image_box(p) for p in paths), f"notes {i}", "FFFFFF")
        for i, paths in enumerate(pictures)
    )
    data = render_deck(PlacedDeck(12192000, 6858000, slides))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert sorted(n for n in names if n.startswith("ppt/notesSlides/notesSlide")) == [
        f"ppt/notesSlides/notesSlide{i}.xml" for i in (1, 2, 3)
    ]
    assert sorted(n for n in names if n.startswith("ppt/media/")) == ["ppt/media/image1.png", "ppt/media/image2.png"]
    assert len(set(names)) == len(names)
