"""KV cache domain: where every byte of a TensorRT-LLM KV block pool lives, and what it holds.

``geometry`` (shapes and sizes), ``offsets`` (byte offset <-> coordinate), ``dtypes`` (decoding),
``pool`` (reading dumps), ``stats`` (streaming statistics), ``memory`` (capacity arithmetic),
``engine_config`` (geometry from engine/checkpoint dirs), ``pt_reader`` (connector ``.pt`` files),
``synthetic`` (seeded twins for dry runs). Nothing here knows about slides or the CLI.
"""
