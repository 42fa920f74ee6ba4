"""Connector .pt files: tensors come back exactly; a hostile pickle never runs."""

import os
import pickle
import zipfile

import numpy as np
import pytest

from tfeic.cli.exit_codes import exit_code
from tfeic.core.diagnostics import SourceError
from tfeic.domains.kv.dtypes import DTYPES
from tfeic.domains.kv.pt_reader import read_pt
from tfeic.domains.kv.pt_writer import write_pt


@pytest.mark.parametrize("dtype", sorted(DTYPES))
def test_tensor_round_trip(tmp_path, dtype):
    storage = np.dtype(DTYPES[dtype].storage)
    raw = np.arange(2 * 2 * 12).astype(storage).reshape(2, 2, 12)
    write_pt(str(tmp_path / "b.pt"), dtype, raw)
    tensor = read_pt(str(tmp_path / "b.pt"))
    assert tensor.dtype == dtype and tensor.shape == (2, 2, 12) and np.array_equal(tensor.raw, raw)


class Evil:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_malicious_pickle_cannot_execute(tmp_path):
    target = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("evil/data.pkl", pickle.dumps(Evil(str(target)), protocol=2))
    with pytest.raises(SourceError) as e:
        read_pt(str(path))
    assert exit_code(e.value) == 3 and "refusing" in str(e.value)
    assert not os.path.exists(target)


def test_not_a_tensor_is_exit_3(tmp_path):
    path = tmp_path / "dict.pt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("x/data.pkl", pickle.dumps({"a": 1}, protocol=2))
    with pytest.raises(SourceError, match="expected one tensor"):
        read_pt(str(path))
