"""TensorRT-LLM observability as plain values: debug logs, KV cache events, metrics, speculation.

Domain package (like ``tfeic.domains.kv``): every stage may use it, it uses nothing above it. Formats are
TensorRT-LLM's own (../shared/reference/trtllm.md sections 3-5); no TensorRT-LLM import is needed.
"""
