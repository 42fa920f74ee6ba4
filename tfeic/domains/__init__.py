"""The domains: each owns what tfeic knows about one kind of thing (KV caches, GPU timelines,
inference servers, TensorRT-LLM files, tables); stages and other domains use them, never the reverse."""
