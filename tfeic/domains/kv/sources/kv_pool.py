"""Source kind ``kv``: a raw block-pool dump, memory-mapped, with its geometry.

Geometry, weakest first: the ``engine`` source it names (or an ``engine_dir``), the sidecar JSON next
to the dump (``<path>.json`` unless ``sidecar`` says otherwise), then the spec's own geometry fields;
``kv.resolve`` applies them, as it does for ``tfeic kv``.
"""

from __future__ import annotations

from tfeic.core.diagnostics import Diagnostic, SpecError
from ..engine_config import read_engine
from ..geometry import KvGeometry
from ..pool import KvPool
from ..resolve import existing_sidecar, open_with_sidecar
from tfeic.deck.model import SourceSpec
from tfeic.sources import SOURCES, ResolveContext, Source
from .engine import GEOMETRY_PROPERTIES, apply_geometry_options, resolve_spec_geometry

ENGINE_PROPERTIES = {
    "engine": {"type": "string", "description": "Name of an `engine` source of this deck that gives the geometry."},
    "engine_dir": {"type": "string", "description": "Engine or checkpoint dir that gives the geometry (instead of `engine`)."},
}
SYNTHETIC_PROPERTIES = {
    "synthetic_blocks": {"type": "integer", "minimum": 1, "maximum": 4096, "default": 8, "description": "Blocks of the --dry-run twin."},
    "seed": {"type": "integer", "default": 0, "description": "Seed of the --dry-run twin."},
}


def engine_geometry(spec: SourceSpec, ctx: ResolveContext, synthetic: bool) -> KvGeometry | None:
    """The per-rank geometry of the engine a KV source names, if it names one."""
    if "engine" in spec.options and spec.options["engine"] not in ctx.deck.omitted:
        name = spec.options["engine"]
        other = ctx.deck.sources.get(name)
        if other is None or other.kind != "engine":
            raise SpecError(Diagnostic(f"sources.{spec.name}.engine: {name!r} is not an engine source of this deck",
                                       spec.pos_of("engine")))
        loader = SOURCES.known("engine")
        info = loader.synthetic(other, ctx) if synthetic else loader.load(other, ctx)
        geometry: KvGeometry | None = info.rank_geometry
        return geometry
    if "engine_dir" in spec.options and not synthetic:
        return read_engine(ctx.path(spec, "engine_dir", allow_dir=True)).rank_geometry
    return None


def synthetic_twin(spec: SourceSpec, ctx: ResolveContext) -> KvPool:
    from ..synthetic import DEFAULT_GEOMETRY, synthetic_pool  # numpy: only when a pool is made

    base = engine_geometry(spec, ctx, synthetic=True) or DEFAULT_GEOMETRY
    return synthetic_pool(apply_geometry_options(spec, base), blocks=int(spec.options.get("synthetic_blocks", 8)),
                          seed=int(spec.options.get("seed", 0)))


@SOURCES.register
class KvPoolSource(Source):
    name = "kv"
    input_fields = ("path", "sidecar", "engine_dir")
    summary = "A raw TensorRT-LLM KV block-pool dump [blocks, layers, 2, Hk, T, D], memory-mapped."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": {"type": "string", "description": "The dump (e.g. block_pool.bin)."},
            "sidecar": {"type": "string", "description": "Sidecar JSON (schemas/kv-sidecar.schema.json); default: the dump's name with .json when it exists."},
            "layer_scales": {"type": "array", "items": {"type": "number"}, "description": "Per-layer fp32 scales of an int8/fp8 cache."},
            **ENGINE_PROPERTIES,
            **GEOMETRY_PROPERTIES,
            **SYNTHETIC_PROPERTIES,
        },
    }

    def _sidecar(self, spec: SourceSpec, ctx: ResolveContext) -> str | None:
        if "sidecar" in spec.options:
            return ctx.path(spec, "sidecar")
        return existing_sidecar(ctx.path(spec, "path"))

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> KvPool:
        path = ctx.path(spec, "path")
        geometry, sidecar = resolve_spec_geometry(spec, engine_geometry(spec, ctx, synthetic=False), self._sidecar(spec, ctx))
        scales = spec.options.get("layer_scales")
        return open_with_sidecar(path, geometry, sidecar, layer_scales=tuple(float(s) for s in scales) if scales is not None else None)

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> KvPool:
        return synthetic_twin(spec, ctx)

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        sidecar = self._sidecar(spec, ctx)
        return [ctx.path(spec, "path")] + ([sidecar] if sidecar else [])
