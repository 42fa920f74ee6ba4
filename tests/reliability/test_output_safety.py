"""Outputs: only regular files are written or replaced, every output of a command is written all
or none, never over an input, and temporary files do not outlive their build. The refusals are
checked from the file system's side too: a device, FIFO, directory or symlink is still what it
was (the tests run as root here, where replacing /dev/null would succeed if tried)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest
import yaml

from cli.conftest import deck  # noqa: F401 (a fixture); tests/ is on sys.path, the packages' root
from tfeic.core.diagnostics import OutputError
from tfeic.render.atomic import STALE_S, Output, write_outputs
from tfeic.render import atomic

from .harness import assert_clean_exit, build, run_checked


def one_line(result, words: str, flag: str = "-o") -> None:
    assert result.code == 2, result.err
    lines = result.err.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith(f"{flag}: error: ") and words in lines[0], result.err


@pytest.fixture(params=["/dev/null", "a private node"])
def device(request, tmp_path) -> str:
    """A character device: /dev/null itself, and one of our own (the same device, 1:3) that no
    other process on the machine can have replaced before the test."""
    if request.param == "/dev/null":
        path = "/dev/null"
    else:
        path = str(tmp_path / "null")
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs CAP_MKNOD")
    if not stat.S_ISCHR(os.stat(path).st_mode):
        pytest.skip(f"{path} is not a character device on this machine (something replaced it before this test)")
    return path


def test_a_character_device_is_never_replaced(cli, deck, device):  # noqa: F811
    before = os.stat(device)
    for flag in ("-o", "--proof"):
        result = build(cli, deck, deck.parent / "out.pptx", flag, device)  # the last -o wins
        one_line(result, f"{device} is a character device, not a regular file", flag)
        after = os.stat(device)
        assert stat.S_ISCHR(after.st_mode) and (after.st_rdev, after.st_ino) == (before.st_rdev, before.st_ino)


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink", "dangling symlink"])
def test_a_target_that_is_not_a_regular_file_is_refused_and_kept(cli, deck, tmp_path, kind):  # noqa: F811
    target, elsewhere = tmp_path / "out.pptx", tmp_path / "elsewhere.pptx"
    elsewhere.write_bytes(b"someone else's file")
    if kind == "fifo":
        os.mkfifo(target)  # never opened here: a build that opened it would block, and the harness would say so
    elif kind == "directory":
        target.mkdir()
    else:
        target.symlink_to(elsewhere if kind == "symlink" else tmp_path / "nowhere")
    mode = os.lstat(target).st_mode
    for flag in ("-o", "--proof"):  # the harness's own output is another file: it reads its output back
        result = build(cli, deck, tmp_path / "fine.pptx", flag, str(target))
        one_line(result, "not a regular file; refusing to replace it", flag)
        assert os.lstat(target).st_mode == mode
    assert elsewhere.read_bytes() == b"someone else's file" and not (tmp_path / "fine.pptx").exists()


@pytest.mark.parametrize("alias", ["same path", "hard link", "symlink dir"])
def test_output_and_proof_must_differ(cli, deck, tmp_path, alias):  # noqa: F811
    out = tmp_path / "x.pptx"
    out.write_bytes(b"previous deck")
    proof = {"same path": out, "hard link": tmp_path / "link.json", "symlink dir": tmp_path / "via" / "x.pptx"}[alias]
    if alias == "hard link":
        os.link(out, proof)
    elif alias == "symlink dir":
        (tmp_path / "via").symlink_to(tmp_path)
    one_line(build(cli, deck, out, "--proof", str(proof)), "is also the output of -o", "--proof")
    assert out.read_bytes() == b"previous deck"


def test_a_file_as_the_output_directory_is_one_line(cli, deck, tmp_path):  # noqa: F811
    (tmp_path / "file").write_bytes(b"x")
    one_line(build(cli, deck, tmp_path / "file" / "x.pptx"), "cannot write output")
    one_line(build(cli, deck, tmp_path / "ok.pptx", "--proof", str(tmp_path / "file" / "p.json")),
             "cannot write output", "--proof")
    assert not (tmp_path / "ok.pptx").exists()


def test_a_failed_proof_write_leaves_the_previous_deck(cli, deck, tmp_path, monkeypatch):  # noqa: F811
    """The proof's rename fails for real (another process turned its target into a directory after
    the checks): the .pptx already renamed is put back, byte for byte, and no temporary file stays."""
    out, proof = tmp_path / "x.pptx", tmp_path / "x.json"
    out.write_bytes(b"previous deck")
    stage = atomic._stage

    def racing_stage(output):
        tmp = stage(output)
        if output.flag == "--proof":
            (proof / "inside").mkdir(parents=True)
        return tmp

    monkeypatch.setattr(atomic, "_stage", racing_stage)
    result = build(cli, deck, out, "--proof", str(proof))
    one_line(result, f"cannot write output {proof}", "--proof")
    assert out.read_bytes() == b"previous deck"
    assert sorted(os.listdir(tmp_path)) == ["deck.yaml", "x.json", "x.pptx"]


def test_a_failed_rename_removes_a_new_file_it_made(tmp_path, monkeypatch):
    made, blocked = tmp_path / "new.pptx", tmp_path / "b.json"
    stage = atomic._stage

    def racing_stage(output):
        tmp = stage(output)
        if output.path == str(blocked):
            (blocked / "inside").mkdir(parents=True)
        return tmp

    monkeypatch.setattr(atomic, "_stage", racing_stage)
    with pytest.raises(OutputError):
        write_outputs([Output(str(made), "-o", b"a"), Output(str(blocked), "--proof", b"b")])
    assert sorted(os.listdir(tmp_path)) == ["b.json"]


def test_render_never_overwrites_its_input(cli, deck, tmp_path):  # noqa: F811
    pptx = tmp_path / "d.pptx"
    assert build(cli, deck, pptx).code == 0
    before = pptx.read_bytes()
    for flag in ("--pdf", "--contact-sheet"):
        args = [flag, str(pptx)] + (["--pdf", str(tmp_path / "d.pdf")] if flag == "--contact-sheet" else [])
        result = run_checked(cli, "render", str(pptx), *args)
        assert result.code == 2 and "is also an input" in result.err, result.err
    assert pptx.read_bytes() == before and not (tmp_path / "d.pdf").exists()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temporary_files_of_a_killed_build_are_removed(cli, deck, tmp_path):  # noqa: F811
    out = tmp_path / "x.pptx"
    killed = tmp_path / f".x.pptx.{dead_pid()}.k1ll3d_a.tmp"  # the writer is gone
    legacy = tmp_path / ".x.pptx.abcd1234.tmp"  # the naming before pids: removed once old
    running = tmp_path / f".x.pptx.{os.getppid()}.r_nn1ng0.tmp"  # a build still writing (a live pid)
    others = [tmp_path / ".x.pptx.notours", tmp_path / ".y.pptx.1.abcdefgh.tmp", tmp_path / "x.pptx.1.abcdefgh.tmp"]
    for path in (killed, legacy, running, *others):
        path.write_bytes(b"partial")
    old = time.time() - STALE_S - 60
    os.utime(legacy, (old, old))
    assert_clean_exit(cli("build", str(deck), "-o", str(out), "-q"))
    assert not killed.exists() and not legacy.exists()
    assert running.exists() and all(p.exists() for p in others)
    os.utime(running, (old, old))  # a live pid, but far too old to be a build still writing: its pid was reused
    assert_clean_exit(cli("build", str(deck), "-o", str(tmp_path / "y.pptx"), "-q"))
    assert running.exists()  # only the target's own temporary files are looked at
    assert_clean_exit(cli("build", str(deck), "-o", str(out), "-q", "--no-cache"))
    assert not running.exists() and all(p.exists() for p in others)


SERVER_DECK = {"title": "recorded", "sources": {}, "slides": [{"kind": "transcript", "source": "s"}]}
TOO_LONG = {"kind": "columns", "title": "Long word", "columns": [{"text": "short"}, {"text": "short"},
                                                                  {"text": "Supercalifragilisticexpialidocious_is_far_too_long_for_any_column"}]}


@pytest.mark.parametrize("failure", ["broken source", "layout"])
def test_record_writes_the_snapshot_only_when_the_build_succeeds(cli, tmp_path, fault_server, failure):
    spec = yaml.safe_load(yaml.safe_dump(SERVER_DECK))
    spec["sources"]["s"] = {"kind": "server", "url": fault_server("trtllm"), "model": "tiny", "prompt": "hi",
                            "max_tokens": 5, "probes": False, "snapshot": "session.json"}
    if failure == "broken source":
        spec["sources"]["t"] = {"kind": "table", "path": "missing.csv"}
        code = 3
    else:
        spec["slides"].append(TOO_LONG)
        code = 4
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(spec))
    out = tmp_path / "out.pptx"
    out.write_bytes(b"previous")
    result = build(cli, tmp_path / "deck.yaml", out, "--record")
    assert result.code == code, result.err
    assert not (tmp_path / "session.json").exists() and out.read_bytes() == b"previous"
    if failure == "broken source":
        del spec["sources"]["t"]
    else:
        spec["slides"].pop()
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(spec))
    assert build(cli, tmp_path / "deck.yaml", out, "--record").code == 0
    assert (tmp_path / "session.json").exists()
    spec["sources"]["s"]["url"] = "http://127.0.0.1:9"  # the snapshot replays offline
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(spec))
    assert_clean_exit(cli("build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "replayed.pptx"), "-q"))
    assert (tmp_path / "replayed.pptx").exists()


def test_record_refuses_a_snapshot_path_that_is_the_deck(cli, tmp_path, fault_server):
    spec = yaml.safe_load(yaml.safe_dump(SERVER_DECK))
    spec["sources"]["s"] = {"kind": "server", "url": fault_server("trtllm"), "model": "tiny", "prompt": "hi",
                            "max_tokens": 5, "probes": False, "snapshot": "deck.yaml"}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(spec))
    before = (tmp_path / "deck.yaml").read_bytes()
    result = build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx", "--record")
    assert result.code == 2 and "is also an input" in result.err, result.err
    assert (tmp_path / "deck.yaml").read_bytes() == before and not (tmp_path / "out.pptx").exists()


def test_schema_output_is_written_the_same_way(cli, tmp_path):
    fifo = tmp_path / "schema.json"
    os.mkfifo(fifo)
    result = run_checked(cli, "schema", "--output", str(fifo))
    assert result.code == 2 and "is a FIFO, not a regular file" in result.err, result.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
