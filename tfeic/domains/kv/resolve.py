"""The one place that decides a pool's geometry and opens it with its sidecar.

``tfeic build`` (the ``kv``, ``connector_cache`` and ``engine`` sources) and ``tfeic kv ...`` both come
here, so a dump and its sidecar read the same way from either, and a broken sidecar is the same exit 3
with the same message. Geometry, weakest first: the engine, the sidecar, then the user's explicit
settings (deck fields or flags). Only the last are the user's to fix where they typed them, so only
their failure is the caller's to word (``bad_overrides``); the others are data-file problems.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from ...core.diagnostics import Diagnostic, Pos, SourceError
from .engine_config import read_engine
from .geometry import KvGeometry, override
from .pool import KvPool, Sidecar, check_sidecar_blocks, open_pool, read_sidecar, sidecar_path


def existing_sidecar(pool_path: str) -> str | None:
    """The sidecar next to a dump (``pool.bin`` -> ``pool.json``) when there is one."""
    path = sidecar_path(pool_path)
    return path if os.path.isfile(path) else None


def resolve_geometry(*, base: KvGeometry | None = None, engine_dir: str | None = None, strict_trtllm: bool = False,
                     sidecar: str | None = None, overrides: Mapping[str, Any],
                     bad_overrides: Callable[[str], Exception]) -> tuple[KvGeometry, Sidecar | None]:
    """The geometry of a pool and its parsed sidecar.

    ``base`` is an engine geometry the caller already has (a deck's ``engine`` source); ``engine_dir``
    reads one instead. The sidecar's geometry must make a whole, possible geometry over ``base``
    (else exit 3 at the sidecar); ``overrides`` (None values ignored) are applied last, and when they
    leave no possible geometry ``bad_overrides(reason)`` is raised.
    """
    if engine_dir is not None:
        base = read_engine(engine_dir, strict_trtllm=strict_trtllm).rank_geometry
    parsed = read_sidecar(sidecar) if sidecar else None
    if parsed and parsed.geometry:
        try:
            base = override(base, **parsed.geometry)
        except ValueError as e:
            raise SourceError(Diagnostic(f"sidecar geometry: {e}", Pos(parsed.path))) from None
    try:
        return override(base, **overrides), parsed
    except ValueError as e:
        raise bad_overrides(str(e)) from None


def open_with_sidecar(pool_path: str, geometry: KvGeometry, sidecar: Sidecar | None, *,
                      layer_scales: tuple[float, ...] | None = None) -> KvPool:
    """Memory-map a dump with what its sidecar adds (per-layer scales unless ``layer_scales`` are
    given, token positions); a sidecar's block count must match the dump under ``geometry``."""
    if layer_scales is None and sidecar:
        layer_scales = sidecar.layer_scales
    pool = open_pool(pool_path, geometry, layer_scales=layer_scales, block_tokens=sidecar.block_tokens if sidecar else ())
    if sidecar:
        check_sidecar_blocks(pool, sidecar)
    return pool
