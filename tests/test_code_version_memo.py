"""``code_version`` with the build cache as its memo: the same value as without it, a changed source
file always changes it (even one edited back to its old size and mtime), and a memo hit reads no source."""

from __future__ import annotations

import os
import time

import pytest

from tfeic.core import digest
from tfeic.core.cache import Cache


@pytest.fixture
def package(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("A = 1\n")
    (root / "sub" / "b.py").write_text("B = 2\n")
    (root / "notes.txt").write_text("not a source\n")
    time.sleep(digest.RACY_SECONDS + 0.1)  # older than the racy window: the memo may keep their digest
    return root


def test_the_memo_gives_the_value_computed_without_it_and_is_then_used(package, tmp_path, monkeypatch):
    memo = Cache(str(tmp_path / "cache"))
    plain = digest._code_version(None, str(package))
    assert digest._code_version(memo, str(package)) == plain

    def unread(path):
        raise AssertionError(f"{path} was read: the memo was not used")

    monkeypatch.setattr(digest, "file_sha256", unread)
    assert digest._code_version(memo, str(package)) == plain


def test_an_edit_that_keeps_size_and_mtime_still_changes_the_version(package, tmp_path):
    memo = Cache(str(tmp_path / "cache"))
    before = digest._code_version(memo, str(package))
    source = package / "sub" / "b.py"
    st = source.stat()
    source.write_text("B = 3\n")  # same size
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old mtime back; the ctime cannot go back
    after = digest._code_version(memo, str(package))
    assert after != before and after == digest._code_version(None, str(package))


def test_a_file_changed_within_the_racy_window_is_not_memoised(tmp_path):
    root = tmp_path / "fresh"
    root.mkdir()
    (root / "a.py").write_text("A = 1\n")
    memo = Cache(str(tmp_path / "cache"))
    digest._code_version(memo, str(root))
    assert not (tmp_path / "cache" / digest.MEMO_NAMESPACE).exists()  # nothing stored for a file this recent
