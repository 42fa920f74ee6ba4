"""write_atomic: all-or-nothing writes that never leave temporary files and never eat an input."""

from __future__ import annotations

import os
import stat

import pytest

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import OutputError
from tfeic.render import write_atomic


def test_writes_a_new_file_readable_by_others(tmp_path):
    target = tmp_path / "deck.pptx"
    write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["deck.pptx"]


def test_replaces_an_existing_file_keeping_its_mode(tmp_path):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["deck.pptx"]


def test_failure_while_writing_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(str(target), "not bytes")  # the write itself fails, after the temp file exists
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["deck.pptx"]


def test_failure_at_the_rename_is_a_spec_error_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out"
    (target / "inside").mkdir(parents=True)  # replacing a non-empty directory with a file fails
    with pytest.raises(OutputError) as err:
        write_atomic(str(target), b"new")
    assert exit_code(err.value) == ExitCode.USAGE and str(target) in err.value.diagnostics[0].message
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert os.listdir(target) == ["inside"]


def test_missing_directories_are_made_and_a_file_as_parent_is_a_spec_error(tmp_path):
    write_atomic(str(tmp_path / "no" / "deck.pptx"), b"new")
    assert (tmp_path / "no" / "deck.pptx").read_bytes() == b"new"
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(OutputError) as err:
        write_atomic(str(tmp_path / "file" / "deck.pptx"), b"new")
    assert exit_code(err.value) == ExitCode.USAGE and "Not a directory" in err.value.diagnostics[0].message
    assert (tmp_path / "file").read_bytes() == b"x"


@pytest.mark.parametrize("alias", ["same", "symlink", "hardlink"])
def test_refuses_to_overwrite_an_input(tmp_path, alias):
    spec = tmp_path / "deck.yaml"
    spec.write_text("slides: []\n")
    target = tmp_path / "out.pptx"
    if alias == "same":
        target = spec
    elif alias == "symlink":
        target.symlink_to(spec)
    else:
        os.link(spec, target)
    with pytest.raises(OutputError) as err:
        write_atomic(str(target), b"pptx", inputs=(str(spec),))
    assert exit_code(err.value) == ExitCode.USAGE
    assert err.value.diagnostics[0].pos.path == str(spec)
    assert spec.read_text() == "slides: []\n"
