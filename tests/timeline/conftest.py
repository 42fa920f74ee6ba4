"""Shared paths and builders for the timeline tests: real fixtures live in tests/fixtures/traces
(relative to the repository); nsys exports the fixtures lack are built here with plain sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "traces"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES.resolve()


def build_nsys_sqlite(path: Path, *, text_ids: bool, enums: bool = True, nvtx=(), kernels=(), memcpys=(), osrt=()) -> Path:
    """A minimal nsys export: ``nvtx`` rows (eventType, name, start, end), ``kernels`` (name, start,
    end), ``memcpys`` (copyKind, bytes, start, end), ``osrt`` (name, start, end). With ``text_ids``
    names go through StringIds (2023+), else NVTX names sit in ``text`` (2022). Rows are written in
    the order given (tests pass them out of time order)."""
    db = sqlite3.connect(path)
    strings: dict[str, int] = {}

    def sid(name: str) -> int:
        return strings.setdefault(name, len(strings) + 1)

    db.execute("CREATE TABLE StringIds (id INTEGER PRIMARY KEY, value TEXT)")
    db.execute('CREATE TABLE NVTX_EVENTS (start INTEGER, "end" INTEGER, eventType INTEGER, text TEXT, textId INTEGER, globalTid INTEGER)' if text_ids
               else 'CREATE TABLE NVTX_EVENTS (start INTEGER, "end" INTEGER, eventType INTEGER, text TEXT, globalTid INTEGER)')
    for kind, name, start, end in nvtx:
        if text_ids:
            db.execute("INSERT INTO NVTX_EVENTS VALUES (?,?,?,NULL,?,1)", (start, end, kind, sid(name)))
        else:
            db.execute("INSERT INTO NVTX_EVENTS VALUES (?,?,?,?,1)", (start, end, kind, name))
    db.execute('CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL (start INTEGER, "end" INTEGER, deviceId INTEGER, streamId INTEGER, shortName INTEGER, demangledName INTEGER)')
    for name, start, end in kernels:
        db.execute("INSERT INTO CUPTI_ACTIVITY_KIND_KERNEL VALUES (?,?,0,7,?,?)", (start, end, sid(name), sid(name)))
    db.execute('CREATE TABLE CUPTI_ACTIVITY_KIND_MEMCPY (start INTEGER, "end" INTEGER, bytes INTEGER, copyKind INTEGER, srcKind INTEGER, dstKind INTEGER)')
    for kind, nbytes, start, end in memcpys:
        db.execute("INSERT INTO CUPTI_ACTIVITY_KIND_MEMCPY VALUES (?,?,?,?,0,2)", (start, end, nbytes, kind))
    db.execute('CREATE TABLE OSRT_API (start INTEGER, "end" INTEGER, nameId INTEGER, globalTid INTEGER)')
    for name, start, end in osrt:
        db.execute("INSERT INTO OSRT_API VALUES (?,?,?,1)", (start, end, sid(name)))
    if enums:
        db.execute("CREATE TABLE ENUM_CUDA_MEMCPY_OPER (id INTEGER, name TEXT, label TEXT)")
    for name, i in strings.items():
        db.execute("INSERT INTO StringIds VALUES (?,?)", (i, name))
    db.commit()
    db.close()
    return path
