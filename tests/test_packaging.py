"""A wheel of tfeic carries its schemas and themes and works outside the checkout.

The data files live in the package (``tfeic/core/resources.py``); this builds the wheel the way a release
would (offline: ``--no-build-isolation`` with the test extra's setuptools), unpacks it, and runs
``tfeic new`` and ``tfeic build`` from it in a directory far from the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_wheel_has_the_data_files_and_builds_a_deck_on_its_own(tmp_path):
    src, dist, site, work = (tmp_path / name for name in ("src", "dist", "site", "work"))
    # from a copy of what the wheel is made of: a checkout's own *.egg-info could list files that
    # the package data does not
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(REPO, name), src)
    shutil.copytree(os.path.join(REPO, "tfeic"), src / "tfeic", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", str(dist), str(src)], check=True, capture_output=True)
    (wheel,) = dist.glob("tfeic-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(site)
    for folder in ("schemas", "theme/themes"):
        shipped = sorted(n.split("/")[-1] for n in names if n.startswith(f"tfeic/{folder}/"))
        assert shipped == sorted(os.listdir(os.path.join(REPO, "tfeic", folder)))
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def tfeic(*args):
        return subprocess.run([sys.executable, "-m", "tfeic", *args], cwd=work, env=env, capture_output=True, text=True)

    where = subprocess.run([sys.executable, "-c", "import tfeic; print(tfeic.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))
    assert tfeic("new", "demo").returncode == 0
    built = tfeic("build", "decks/demo.yaml", "-o", "demo.pptx")
    assert built.returncode == 0, built.stderr
    assert zipfile.is_zipfile(work / "demo.pptx")
    modeline = (work / "decks" / "demo.yaml").read_text().splitlines()[0]
    assert os.path.isfile(os.path.normpath(work / "decks" / modeline.split("$schema=")[1]))
