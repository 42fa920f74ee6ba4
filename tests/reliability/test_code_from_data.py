"""Data is never code: template syntax inside server output and CSV cells reaches the slide as
literal text, and a ``.pt`` pickle that would run code is refused before anything runs."""

from __future__ import annotations

import json
import pickle
import shutil
import zipfile
from pathlib import Path

import yaml

from .artifacts import pptx_text
from .harness import build

REPO = Path(__file__).resolve().parents[2]
EXABYTE = REPO / "decks" / "data" / "exabyte"
TEMPLATES = ["{{ 7 * 7 }}", "{% for x in range(3) %}loop{% endfor %}", "{{ ''.__class__.__mro__ }}"]


def write_deck(root: Path, sources: dict, slides: list) -> Path:
    (root / "deck.yaml").write_text(yaml.safe_dump({"title": "data", "sources": sources, "slides": slides}))
    return root / "deck.yaml"


def assert_literal(text: str) -> None:
    """Each template is in the deck as typed (XML-escaped quotes aside) and none was evaluated."""
    for template in TEMPLATES:
        assert template in text.replace("&apos;", "'").replace("&quot;", '"'), template
    assert "looplooploop" not in text and "&lt;class" not in text


def test_templates_in_server_output_stay_literal(cli, tmp_path):
    snapshot = json.loads((EXABYTE / "session.json").read_text())
    text = " ".join(TEMPLATES)
    snapshot["response"]["text"] = text
    snapshot["response"]["frames"] = [{"t_s": 0.01 * (i + 1), "text": t + " "} for i, t in enumerate(TEMPLATES)]
    (tmp_path / "session.json").write_text(json.dumps(snapshot))
    request = snapshot["request"]
    source = {"kind": "server", "url": "http://127.0.0.1:9", "snapshot": "session.json", "model": request["model"],
              "max_tokens": request["max_tokens"], "messages": request["messages"]}
    write_deck(tmp_path, {"s": source}, [{"kind": "transcript", "source": "s"}])
    assert build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx").code == 0
    assert_literal(pptx_text(tmp_path / "out.pptx"))


def test_templates_in_csv_cells_stay_literal(cli, tmp_path):
    (tmp_path / "t.csv").write_text("name,value\n" + "".join(f'"{t}",{i}\n' for i, t in enumerate(TEMPLATES)))
    write_deck(tmp_path, {"s": {"kind": "table", "path": "t.csv"}}, [{"kind": "table", "source": "s"}])
    assert build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx").code == 0
    assert_literal(pptx_text(tmp_path / "out.pptx"))


class Evil:
    """Unpickling this calls ``open(target, "w")``: the file appearing would prove code ran."""

    def __init__(self, target: str):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_malicious_pt_in_a_connector_cache_never_runs(cli, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(EXABYTE / "connector_cache", cache)
    target = tmp_path / "pwned"
    with zipfile.ZipFile(cache / "0000000000000000.pt", "w") as z:
        z.writestr("evil/data.pkl", pickle.dumps(Evil(str(target)), protocol=2))
    write_deck(tmp_path, {"s": {"kind": "connector_cache", "path": "cache", "layers": 4, "kv_dims": [2, 4, 16, 64]}},
               [{"kind": "kv_zoom", "source": "s", "offset": 0}])
    result = build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx")
    assert result.code == 3 and "0000000000000000.pt" in result.err and "refusing" in result.err
    assert not target.exists()
