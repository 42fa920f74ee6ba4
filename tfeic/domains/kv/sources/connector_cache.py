"""Source kind ``connector_cache``: the ``.pt`` files of TensorRT-LLM's KV cache connector example.

Each file is ``torch.save`` of one full block, ``[layers, 2, Hk*T*D]`` in the KV dtype: exactly one
block of the pool in HND order. The files (sorted by name) become the blocks of an in-memory pool, so
every KV slide works on them. Files are read with tfeic's restricted unpickler: no torch, no pickle
code runs; anything but a tensor is exit 3. There is no manifest, so the geometry comes from an
engine or the spec's fields (the dtype, when nothing else says, from the files).
"""

from __future__ import annotations

import os
from dataclasses import replace

from tfeic.core.datafile import check_regular
from tfeic.core.diagnostics import Diagnostic, Pos, SourceError
from ..pool import KvPool
from tfeic.deck.model import SourceSpec
from tfeic.sources import SOURCES, ResolveContext, Source
from .engine import GEOMETRY_PROPERTIES, apply_geometry_options
from .kv_pool import ENGINE_PROPERTIES, SYNTHETIC_PROPERTIES, engine_geometry, synthetic_twin


def pt_files(directory: str) -> list[str]:
    """The directory's ``.pt`` files, each checked to be a regular file (a FIFO would block the reader)."""
    if not os.path.isdir(directory):
        raise SourceError(Diagnostic("connector cache path is not a directory", Pos(directory)))
    files = sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".pt"))
    for path in files:
        check_regular(path, "connector cache file")
    return files


@SOURCES.register
class ConnectorCacheSource(Source):
    name = "connector_cache"
    input_fields = ("path",)
    summary = "A directory of KV cache connector .pt files (one block each), read without running pickle code."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": {"type": "string", "description": "The connector folder ($CONNECTOR_CACHE_FOLDER)."},
            **ENGINE_PROPERTIES,
            **GEOMETRY_PROPERTIES,
            **SYNTHETIC_PROPERTIES,
        },
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> KvPool:
        import numpy as np

        from ..pt_reader import MAX_BYTES, read_pt

        directory = ctx.path(spec, "path", allow_dir=True)
        files = pt_files(directory)
        if not files:
            raise SourceError(Diagnostic("no .pt files in the connector cache directory", Pos(directory)))
        tensors, left = [], MAX_BYTES  # every file's storage counts against one limit: they are all held in memory
        for f in files:
            tensors.append(read_pt(f, left))
            left -= tensors[-1].raw.nbytes
        geometry = apply_geometry_options(spec, engine_geometry(spec, ctx, synthetic=False))
        if not ({"engine", "engine_dir", "dtype", "dtype_bytes"} & set(spec.options)):
            geometry = replace(geometry, dtype=tensors[0].dtype)
        expected = (geometry.layers, geometry.kv_factor, geometry.plane_elements)
        for path, tensor in zip(files, tensors):
            if tensor.dtype != geometry.dtype or tensor.shape != expected:
                raise SourceError(Diagnostic(
                    f"tensor is {tensor.dtype} {list(tensor.shape)}, the geometry expects {geometry.dtype} {list(expected)} "
                    f"([layers, kv, Hk*T*D])", Pos(path), hint="check the engine or kv_dims/layers/dtype"))
        data = np.concatenate([t.raw.reshape(-1).view(np.uint8) for t in tensors])
        return KvPool(data, geometry, block_names=tuple(os.path.basename(f) for f in files))

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> KvPool:
        return synthetic_twin(spec, ctx)

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return pt_files(ctx.path(spec, "path", allow_dir=True))
