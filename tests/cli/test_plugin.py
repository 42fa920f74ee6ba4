"""The example plugin installs with pip (offline, into a temporary target) and works in a deck."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(REPO, "examples", "tfeic-example-plugin")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "--target", str(target), PLUGIN], check=True, capture_output=True, timeout=120)
    return str(target)


def tfeic(site, *argv):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([site, REPO])}
    return subprocess.run([sys.executable, "-m", "tfeic", *argv], capture_output=True, text=True, env=env, timeout=120)


def test_list_shows_the_plugins_directive_and_source(site):
    assert "quote" in tfeic(site, "list", "directives").stdout
    assert "word_count" in tfeic(site, "list", "sources").stdout


def test_a_deck_using_the_plugin_builds(site, tmp_path):
    from pptx import Presentation

    out = tmp_path / "plugin.pptx"
    res = tfeic(site, "build", os.path.join(PLUGIN, "example.yaml"), "-o", str(out), "--no-cache", "-q")
    assert res.returncode == 0, res.stderr
    texts = [s.text_frame.text for s in Presentation(str(out)).slides[0].shapes if s.has_text_frame]
    assert any("16 words in 2 lines; longest: word_count" in t for t in texts)


def test_without_the_plugin_the_deck_is_a_spec_error(tmp_path):
    res = tfeic(str(tmp_path), "validate", os.path.join(PLUGIN, "example.yaml"))
    assert res.returncode == 2 and "unknown directive 'quote'" in res.stderr
