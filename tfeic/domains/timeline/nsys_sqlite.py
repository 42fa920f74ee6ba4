"""Nsight Systems SQLite exports (nsys 2022.1 .. 2026.1): every aggregate is a SQL ``GROUP BY``.

Real captures hold millions of kernel rows, so rows are never loaded into Python for a summary:
SQLite groups by the name id and only the distinct names are joined to ``StringIds`` and classified.
Schemas differ by version, so columns are looked up, not assumed: tables are missing when nothing of
their kind was captured; NVTX names live in ``text`` (old) or ``textId`` (new); ``ENUM_*`` tables are
absent before 2023 (copy kinds are known numbers, see ``aggregate.CUPTI_COPY_KIND``); strings may
hold non-UTF-8 bytes (decoded with replacement). Rows are not in time order since 2025.6, so span
queries ``ORDER BY start``. Tables holding the profiled process's environment are never read.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
import time
import urllib.parse
from typing import Any, Callable, Concatenate, ParamSpec, TypeVar

from ...core.datafile import InputLimits, check_regular, check_size
from ...core.diagnostics import Diagnostic, Pos, SourceError
from .aggregate import CUPTI_COPY_KIND, Groups, build_summary
from .events import to_span
from .model import Span, Summary, Window
from .rules import Rules

KERNEL = "CUPTI_ACTIVITY_KIND_KERNEL"
MEMCPY = "CUPTI_ACTIVITY_KIND_MEMCPY"
MEMSET = "CUPTI_ACTIVITY_KIND_MEMSET"
NVTX = "NVTX_EVENTS"
OSRT = "OSRT_API"
#: NVTX eventType of ranges: push/pop, start/end, NVTXT push/pop and start/end
NVTX_RANGE_TYPES = (59, 60, 70, 71)
PROGRESS_STEPS = 1000  # SQLite VM instructions between two looks at the clock


def connect(path: str, limits: InputLimits | None = None) -> sqlite3.Connection:
    """Open read-only; text decodes with replacement because old exports hold non-UTF-8 bytes. The
    file must be a regular file within ``limits.trace_bytes`` (SQLite reads only the pages a query
    needs), and every query is interrupted once ``limits.read_seconds`` have passed since the open
    (``bounded`` turns that into a SourceError)."""
    limits = limits or InputLimits.of()
    what = "the nsys SQLite export"
    check_size(path, what, check_regular(path, what).st_size, limits.trace_bytes, "trace_bytes")
    uri = "file:" + urllib.parse.quote(path) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        conn.execute("SELECT name FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError as e:
        raise SourceError(Diagnostic(f"cannot read the nsys SQLite export: {e}", Pos(path))) from None
    deadline = time.monotonic() + limits.read_seconds
    conn.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
    return conn


_P = ParamSpec("_P")
_R = TypeVar("_R")


def bounded(query: Callable[Concatenate[Any, _P], _R]) -> Callable[Concatenate[Any, _P], _R]:
    """A backend query whose interruption by the deadline of ``connect`` is exit 3 naming the limit."""

    @functools.wraps(query)
    def run(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return query(self, *args, **kwargs)
        except sqlite3.OperationalError as e:
            if "interrupted" not in str(e):
                raise
            raise SourceError(Diagnostic(f"querying the nsys SQLite export took longer than {self.limits.read_seconds} s "
                                         "(limits.read_seconds)", Pos(self.path), hint="raise limits.read_seconds in the deck")) from None
    return run


def _quoted(name: str) -> str:
    """``name`` as an SQL identifier, whatever quotes it holds (table names come from the file)."""
    return '"' + name.replace('"', '""') + '"'


class SqliteBackend:
    format = "nsys-sqlite"

    @bounded
    def __init__(self, path: str, rules: Rules, limits: InputLimits | None = None):
        self.path = path
        self.limits = limits or InputLimits.of()
        self._rules = rules
        self._db = connect(path, self.limits)
        # a stage name, decided once per distinct name (the rules memoise): lets SQLite leave out the
        # ranges that are no stage (per-layer annotations, often millions) before Python sees them
        self._db.create_function("tfeic_is_stage", 1, lambda name: rules.range(name or "?").lane == "Stages", deterministic=True)
        self._columns = {
            t: {row[1] for row in self._db.execute(f"PRAGMA table_info({_quoted(t)})")}
            for (t,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        self._bounds: tuple[int, int] | None = None
        self._ranges: list[Span] | None = None
        self._check_rows()

    def _check_rows(self) -> None:
        """Every row read is a span: integer start and end, the end not before the start, no negative
        byte count. One scan per table (SQLite does millions of rows a second); a crafted export
        with a NULL ``end`` or a negative copy is a SourceError naming the table, never a crash or a
        "-400 us" on a slide."""
        for table, where in self._sources():
            copies = table == MEMCPY and self._has(MEMCPY, "bytes")
            columns, checks = ("start", '"end"', "bytes") if copies else ("start", '"end"'), ['"end" < start']
            checks += [f"typeof({c}) != 'integer'" for c in columns] + (["bytes < 0"] if copies else [])
            sql = f"SELECT {', '.join(columns)} FROM {_quoted(table)} WHERE ({where}) AND ({' OR '.join(checks)}) LIMIT 1"
            try:
                bad = self._db.execute(sql).fetchone()
            except sqlite3.DatabaseError as e:
                if "interrupted" in str(e):
                    raise  # the deadline of ``connect``: ``bounded`` names the limit
                raise SourceError(Diagnostic(f"cannot read the nsys SQLite export: {e}", Pos(self.path))) from None
            if bad is not None:
                shown = ", ".join(f"{k} {v!r}" for k, v in zip(("start", "end", "bytes"), bad))
                raise SourceError(Diagnostic(f"{table}: a row with {shown} is not a span (integer times, the end not "
                                             f"before the start{', a byte count not negative' if copies else ''})",
                                             Pos(self.path)))

    # -- SQL building blocks -------------------------------------------------------------------

    def _has(self, table: str, *columns: str) -> bool:
        return table in self._columns and all(c in self._columns[table] for c in columns)

    def _string(self, id_expr: str) -> str:
        """SQL for the string an id names (the id itself when the export has no StringIds)."""
        if "StringIds" not in self._columns:
            return f"CAST({id_expr} AS TEXT)"
        return f"(SELECT value FROM StringIds WHERE id = {id_expr})"

    def _kernel_name_column(self) -> str | None:
        for column in ("shortName", "demangledName", "mangledName"):
            if self._has(KERNEL, column):
                return column
        return None

    def _nvtx_name(self, text: str = "text", text_id: str = "textId") -> str | None:
        has_text, has_id = self._has(NVTX, "text"), self._has(NVTX, "textId")
        if has_text and has_id:
            return f"COALESCE({text}, {self._string(text_id)})"
        if has_text:
            return text
        return self._string(text_id) if has_id else None

    def _nvtx_filter(self) -> str:
        kinds = ",".join(map(str, NVTX_RANGE_TYPES))
        typed = f"eventType IN ({kinds}) AND " if self._has(NVTX, "eventType") else ""
        return f'{typed}"end" IS NOT NULL AND "end" >= start'

    def _stage_filter(self) -> str:
        """SQL true for the NVTX rows whose name (as ``_nvtx_name`` gives it) the rules call a stage.
        A name held by id is tested once per string of StringIds, and rows only probe the set of
        stage ids: millions of ranges cost no call into Python each."""
        has_text, has_id = self._has(NVTX, "text"), self._has(NVTX, "textId")
        if has_id and "StringIds" in self._columns:
            by_id = "textId IN (SELECT id FROM StringIds WHERE tfeic_is_stage(value))"
        else:
            by_id = "tfeic_is_stage(CAST(textId AS TEXT))"
        if has_text and has_id:
            return f"(CASE WHEN text IS NOT NULL THEN tfeic_is_stage(text) ELSE {by_id} END)"
        return "tfeic_is_stage(text)" if has_text else by_id

    def _sources(self) -> list[tuple[str, str]]:
        """(table, extra WHERE) of every table read, for the origin and extent."""
        out = []
        if self._kernel_name_column():
            out.append((KERNEL, "1"))
        if self._has(MEMCPY, "copyKind"):
            out.append((MEMCPY, "1"))
        if self._nvtx_name():
            out.append((NVTX, self._nvtx_filter()))
        if self._has(OSRT, "nameId"):
            out.append((OSRT, "1"))
        return out

    # -- queries -----------------------------------------------------------------------------

    def _origin(self) -> tuple[int, int]:
        if self._bounds is None:
            lows, highs = [], []
            for table, where in self._sources():
                lo, hi = self._db.execute(f'SELECT MIN(start), MAX("end") FROM "{table}" WHERE {where}').fetchone()
                if lo is not None:
                    lows.append(lo)
                    highs.append(hi)
            self._bounds = (min(lows), max(highs)) if lows else (0, 0)
        return self._bounds

    @bounded
    def extent(self) -> Window:
        t0, t1 = self._origin()
        return Window(0, t1 - t0)

    @bounded
    def summary(self, window: Window | None) -> Summary:
        params: tuple[int, ...]
        if window is None:
            where, params = "", ()
        else:
            t0, _ = self._origin()
            where, params = " AND start >= ? AND start < ?", (t0 + window.start_ns, t0 + window.end_ns)
        groups = Groups()
        q = self._db.execute
        kname = self._kernel_name_column()
        if kname:
            for name, count, total in self._named_groups(KERNEL, kname, where, params):
                groups.merge(groups.kernels, name or "?", count, total or 0)
        if self._has(MEMCPY, "copyKind"):
            nbytes = "SUM(bytes)" if self._has(MEMCPY, "bytes") else "0"
            sql = f'SELECT copyKind, COUNT(*), {nbytes}, SUM("end" - start) FROM {MEMCPY} WHERE 1{where} GROUP BY copyKind'
            for kind, count, total_bytes, total in q(sql, params):
                g = groups.copies.setdefault(CUPTI_COPY_KIND.get(kind, "other"), [0, 0, 0])
                g[0] += count
                g[1] += total_bytes or 0
                g[2] += total or 0
        if self._nvtx_name():
            keys = [c for c in ("text", "textId") if self._has(NVTX, c)]
            inner = ", ".join(keys)
            name = self._nvtx_name("g.text", "g.textId")
            sql = (
                f"SELECT {name}, g.n, g.t FROM (SELECT {inner}, COUNT(*) AS n, SUM(\"end\" - start) AS t "
                f"FROM {NVTX} WHERE {self._nvtx_filter()}{where} GROUP BY {inner}) AS g"
            )
            for range_name, count, total in q(sql, params):
                groups.merge(groups.ranges, range_name or "?", count, total or 0)
        if self._has(OSRT, "nameId"):
            for call, count, total in self._named_groups(OSRT, "nameId", where, params):
                groups.merge(groups.osrt, call or "?", count, total or 0)
        return build_summary(self.format, window or self.extent(), groups, self._rules)

    def _named_groups(self, table: str, id_column: str, where: str, params: tuple):
        """(name, count, total ns) per string id of ``table``: grouped on the integer id in SQL, each
        group's name looked up once afterwards."""
        sql = (
            f'SELECT {self._string("g.id")}, g.n, g.t FROM (SELECT {id_column} AS id, COUNT(*) AS n, '
            f'SUM("end" - start) AS t FROM {table} WHERE 1{where} GROUP BY {id_column}) AS g'
        )
        return self._db.execute(sql, params)

    def _rows(self, window: Window | None, limit: int, only_ranges: bool = False, only_stages: bool = False):
        """(kind, name, start, end, bytes, direction, device, stream) rows overlapping ``window``
        (absolute times); ``only_stages``: the ranges the rules call stages, nothing else."""
        t0, _ = self._origin()
        params: tuple[int, ...]
        if window is None:
            clause, params = "", ()
        else:
            clause, params = ' AND start < ? AND "end" > ?', (t0 + window.end_ns, t0 + window.start_ns)
        order = f" ORDER BY start LIMIT {int(limit)}"
        name = self._nvtx_name()
        if name:
            stages = f" AND {self._stage_filter()}" if only_stages else ""
            sql = f'SELECT {name}, start, "end" FROM {NVTX} WHERE {self._nvtx_filter()}{clause}{stages}{order}'
            for n, s, e in self._db.execute(sql, params):
                yield "range", n or "?", s, e, 0, "", "", ""
        if only_ranges or only_stages:
            return
        kname = self._kernel_name_column()
        if kname:
            where = f'{self._id_column(KERNEL, "deviceId")}, {self._id_column(KERNEL, "streamId")}'
            sql = f'SELECT {self._string(kname)}, start, "end", {where} FROM {KERNEL} WHERE 1{clause}{order}'
            for n, s, e, device, stream in self._db.execute(sql, params):
                yield "kernel", n or "?", s, e, 0, "", device, stream
        if self._has(MEMCPY, "copyKind"):
            nbytes = "bytes" if self._has(MEMCPY, "bytes") else "0"
            where = f'{self._id_column(MEMCPY, "deviceId")}, {self._id_column(MEMCPY, "streamId")}'
            sql = f'SELECT copyKind, start, "end", {nbytes}, {where} FROM {MEMCPY} WHERE 1{clause}{order}'
            for kind, s, e, b, device, stream in self._db.execute(sql, params):
                direction = CUPTI_COPY_KIND.get(kind, "other")
                yield "copy", f"Memcpy {direction}", s, e, b or 0, direction, device, stream
        if self._has(OSRT, "nameId"):
            sql = f'SELECT {self._string("nameId")}, start, "end" FROM {OSRT} WHERE 1{clause}{order}'
            for n, s, e in self._db.execute(sql, params):
                yield "osrt", n or "?", s, e, 0, "", "", ""

    def _span(self, *row) -> Span | None:
        return to_span(self._rules, self._origin()[0], *row)

    @bounded
    def spans(self, window: Window, limit: int) -> list[Span]:
        found = (self._span(*row) for row in self._rows(window, limit))
        drawn = sorted((s for s in found if s is not None and s.lane), key=lambda s: (s.start_ns, s.lane, s.name))
        return drawn[:limit]

    def _id_column(self, table: str, column: str) -> str:
        return f"CAST({column} AS TEXT)" if self._has(table, column) else "''"

    @bounded
    def kernel_groups(self, window: Window | None) -> list[tuple[str, str, list[int]]]:
        """(name, class, sorted durations) per kernel name starting in ``window``: SQLite sorts by name id
        and duration, and one name's durations are held at a time."""
        kname = self._kernel_name_column()
        if not kname:
            return []
        t0, _ = self._origin()
        where, params = ("start >= ? AND start < ?", (t0 + window.start_ns, t0 + window.end_ns)) if window else ("1", ())
        rows = self._db.execute(f'SELECT {kname}, "end" - start AS d FROM {KERNEL} WHERE {where} ORDER BY {kname}, d', params)
        out = []
        for name_id, group in itertools.groupby(rows, key=lambda r: r[0]):
            durations = [d for _, d in group]
            (name,) = self._db.execute(f"SELECT {self._string('?')}", (name_id,)).fetchone()
            out.append((name or "?", self._rules.kernel_classes.classify(name or "?"), durations))
        return out

    @bounded
    def gpu_records(self, window: Window) -> list[tuple[str, str, str, int, int]]:
        """(device, stream, class, start, end) of kernels, memcpys and memsets overlapping ``window``
        (memsets are not checked by ``_check_rows``: rows that are not spans are left out here)."""
        t0, _ = self._origin()
        params = (t0 + window.end_ns, t0 + window.start_ns)
        where = "start < ? AND \"end\" > ? AND typeof(start) = 'integer' AND typeof(\"end\") = 'integer'"
        out: list[tuple[str, str, str, int, int]] = []
        kname = self._kernel_name_column()
        classes: dict[object, str] = {}
        if kname:
            sql = f'SELECT {self._id_column(KERNEL, "deviceId")}, {self._id_column(KERNEL, "streamId")}, {kname}, start, "end" FROM {KERNEL} WHERE {where}'
            for device, stream, name_id, start, end in self._db.execute(sql, params):
                if name_id not in classes:
                    (name,) = self._db.execute(f"SELECT {self._string('?')}", (name_id,)).fetchone()
                    classes[name_id] = self._rules.kernel_classes.classify(name or "?")
                out.append((device, stream, classes[name_id], start - t0, end - t0))
        for table in (MEMCPY, MEMSET):
            if self._has(table, "start", "end"):
                sql = f'SELECT {self._id_column(table, "deviceId")}, {self._id_column(table, "streamId")}, start, "end" FROM {table} WHERE {where}'
                out.extend((device, stream, "memory", start - t0, end - t0) for device, stream, start, end in self._db.execute(sql, params))
        return out

    @bounded
    def ranges(self) -> list[Span]:
        if self._ranges is None:
            self._ranges = [s for row in self._rows(None, -1, only_ranges=True) if (s := self._span(*row)) is not None]
        return self._ranges

    @bounded
    def stage_ranges(self) -> list[Span]:
        """The ranges in the Stages lane (what nested-stage detection reads), selected inside SQLite."""
        if self._ranges is not None:
            return [s for s in self._ranges if s.lane == "Stages"]
        return [s for row in self._rows(None, -1, only_stages=True) if (s := self._span(*row)) is not None]
