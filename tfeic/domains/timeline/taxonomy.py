"""Kernel taxonomy: which class of work a GPU kernel name is (gemm, attention, norm, elementwise,
communication, memory, sampling, other).

A trace names kernels and nothing else, and every library spells its kernels its own way (cuBLAS
``sm90_xmma_gemm_*``, cuBLASLt ``nvjet_tst_*``, hipBLASLt ``Cijk_*``, FlashAttention ``flash_fwd_kernel``,
TensorRT-LLM ``fmhaSm100aKernel_*``, NCCL ``ncclDevKernel_*``). So the taxonomy is data: an ordered
list of rules, each a case-insensitive regular expression searched in the name, its class, and where
the spelling was seen (a committed fixture under tests/fixtures/traces/, or the library source that
defines the kernel). First match wins, which is what lets specific rules (a KV-cache write is memory,
an ``ArgMaxOps`` reduction is sampling) come before broad ones (``at::native::`` is elementwise).

A deck prepends its own rules (the trace source's ``rules: {kernel_classes: [...]}``), then a theme
its own (``kernel_classes:`` in the theme file, ``rules.with_theme_classes``); a name no rule
matches is ``other`` and ``Taxonomy.unmatched`` lists such names (tests/timeline/test_taxonomy.py keeps
every kernel of the fixtures matched). docs/kernel-taxonomy.md is the table of these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

#: the classes, in the order slides and summaries list them
CLASSES = ("gemm", "attention", "norm", "elementwise", "communication", "memory", "sampling", "other")

F_B200 = "fixture tracelens_vllm_eager_trace_b200 (vLLM on B200)"
F_H100 = "fixture tracelens_Qwen1.5-0.5B-Chat_h100 (Hugging Face on H100)"
F_SGL = "fixture tracelens_sglang_Qwen3-8B_decode_mi300x (SGLang on MI300X)"
F_SGL_PD = "fixture tracelens_sglang_Qwen3-8B_prefilldecode_mi300x (SGLang EXTEND step on MI300X)"
F_VLLM_AMD = "fixture tracelens_vllm_decode_full_graph_execution_mi300 (vLLM on MI300)"
F_HTA_NS = "fixture hta_ns_resolution_rank-0 (PyTorch CNN training, V100)"
F_HTA_LEGACY = "fixture hta_inference_rank_1_legacy_kineto"
F_HTA_TRITON = "fixture hta_triton_example"
F_TESTCUDA = "fixture testcuda_report1.sqlite (nsys 2026.1)"

#: the shipped rules, tried in this order (first match wins); ``source`` says where each spelling
#: was seen. Specific before broad: communication, then memory (KV writes and copies, which other
#: rules' words such as ``flash`` or ``at::native`` would otherwise claim), sampling (FlashInfer's
#: samplers live in ``flashinfer::sampling``), attention, norm, MoE routing (its template arguments
#: name ``cutlass`` types), gemm, then the elementwise catch-alls. Rules see the name without its
#: parameter list (``without_parameters``).
DEFAULT_RULES: tuple[dict[str, str], ...] = (
    # -- communication ---------------------------------------------------------------------------
    {"match": r"nccl|rccl", "class": "communication",
     "source": f"NCCL/RCCL ncclDevKernel_* ({F_B200}); RCCL keeps NCCL's kernel names"},
    {"match": r"cross_device_reduce", "class": "communication",
     "source": "vLLM/SGLang custom all-reduce, csrc/custom_all_reduce.cuh cross_device_reduce_1stage/_2stage"},
    {"match": r"all_?reduce|all_?gather|reduce_?scatter|all_?to_?all|userbuffers|lamport", "class": "communication",
     "source": f"PyTorch symmetric-memory multimem_all_reduce_kernel ({F_B200}); TensorRT-LLM allreduce/lamport kernels"},
    # -- memory: KV-cache writes, copies, fills, gathers, layout changes ----------------------------
    {"match": r"reshape_and_cache|store_kvcache|set_kv_buffer|concat_and_cache", "class": "memory",
     "source": f"vLLM reshape_and_cache_flash_kernel ({F_B200}, {F_VLLM_AMD}); SGLang store_kvcache ({F_SGL})"},
    {"match": r"memcpy|memset|_copy_kernel_cuda|direct_copy|CatArrayBatchedCopy|CopyFunctor|FillFunctor|_to_copy|copy_page_indices",
     "class": "memory",
     "source": f"PyTorch copy/cat/fill kernels ({F_H100}, {F_HTA_NS}, {F_SGL}); Inductor triton_poi_fused__to_copy ({F_VLLM_AMD}); "
               f"_copy_page_indices_kernel, _combined_routing_memset ({F_B200}, {F_VLLM_AMD})"},
    {"match": r"gather_kernel|indexSelect|index_elementwise_kernel|nchwToNhwc|nhwcToNchw", "class": "memory",
     "source": f"PyTorch vectorized_gather_kernel / indexSelectLargeIndex / index_elementwise_kernel ({F_B200}, {F_H100}); "
               f"cuDNN nchwToNhwcKernel ({F_HTA_NS})"},
    # -- sampling ----------------------------------------------------------------------------------
    {"match": r"sampling|sampler|argmax|multinomial|top_?k_?top_?p|resolve_future_token_ids", "class": "sampling",
     "source": f"PyTorch argmax reduce_kernel<ArgMaxOps> ({F_H100}); SGLang resolve_future_token_ids_kernel ({F_SGL}); "
               "FlashInfer sampling.cuh TopKTopPSamplingFromProbKernel"},
    # -- attention ---------------------------------------------------------------------------------
    {"match": r"fmha|flash|mmha|masked_multihead_attention|xqa|kernel_mha|attention|attn|sdpa|scaled_dot_product",
     "class": "attention",
     "source": f"TensorRT-LLM fmhaSm100aKernel ({F_B200}); pytorch_flash::flash_fwd_kernel ({F_H100}); vLLM kernel_unified_attention_2d/3d "
               f"({F_VLLM_AMD}); paged_attention_ll4mi ({F_SGL}); FlashInfer BatchDecode/BatchPrefill*Kernel, create_flashinfer_kv_indices "
               f"({F_SGL}); TensorRT-LLM MMHA masked_multihead_attention_kernel and XQA kernel_mha"},
    {"match": r"^reduce_segments$", "class": "attention",
     "source": f"vLLM triton_unified_attention.py reduce_segments, the 3-D kernel's reduction ({F_VLLM_AMD})"},
    # -- norm --------------------------------------------------------------------------------------
    {"match": r"rms_?norm|layer_?norm|group_?norm|batch_?norm|instance_?norm|\bbn_(fw|bw)", "class": "norm",
     "source": f"vLLM rms_norm_kernel / fused_add_rms_norm_kernel ({F_B200}); aiter add_rmsnorm_quant_kernel ({F_SGL}); "
               f"CK ck_tile Rmsnorm2dFwd ({F_VLLM_AMD}); cuDNN bn_fw_tr_1C11 / bn_bw_1C11 ({F_HTA_NS})"},
    # -- MoE routing: bookkeeping that is neither math nor a copy ----------------------------------
    {"match": r"moe::dev::|routing|_topk_forward|_sum_bitmatrix_rows", "class": "other",
     "source": f"TensorRT-LLM moe::dev::routing / finalize ({F_B200}); triton_kernels _combined_routing_compute, _topk_forward, "
               f"_sum_bitmatrix_rows ({F_VLLM_AMD})"},
    # -- gemm (and convolution, which cuDNN runs as implicit GEMM) ---------------------------------
    {"match": r"gemm|gemv|splitKreduce|nvjet|cublas|cutlass|xmma|^Cijk_|^bmm_|matmul|wmma|s16816|s1688", "class": "gemm",
     "source": f"cuBLAS sm90_xmma_gemm ({F_H100}), gemmk1_kernel, cutlass_70_wmma ({F_HTA_LEGACY}), cutlass_80_simt_sgemm ({F_H100}), "
               f"volta_sgemm, cublasLt::splitKreduce_kernel ({F_HTA_NS}); cuBLASLt nvjet_tst_*, trtllm-gen bmm_* ({F_B200}); "
               f"hipBLASLt/rocBLAS Cijk_* ({F_SGL}, {F_VLLM_AMD}); triton_kernels _matmul_ogs ({F_VLLM_AMD}); ampere_*_s16816gemm (cuBLAS on A100)"},
    {"match": r"scudnn|winograd|wgrad_alg|dgrad_engine|cask_cudnn|reduce_wgrad|convolution|implicit_?gemm", "class": "gemm",
     "source": f"cuDNN convolution kernels cudnn_infer_volta_scudnn_*, winograd*, wgrad_alg0_engine, dgrad_engine, cask_cudnn_* ({F_HTA_NS})"},
    # -- elementwise: activations, rotary, quantisation, reductions and PyTorch's pointwise kernels ---
    {"match": r"act_and_mul|silu|gelu|relu|swiglu|rotary|\brope\b|_rope_|quant|softmax|pool|clamp|compute_position|scalePackedTensor", "class": "elementwise",
     "source": f"sgl_hip act_and_mul_kernel, rotary_embedding_kernel, clamp_position_kernel ({F_SGL}); SGLang's Triton compute_position_kernel ({F_SGL_PD}); vLLM scaled_fp8_quant, "
               f"TensorRT-LLM quantize_with_block_size ({F_B200}); softmax_warp_forward, max_pool_forward_nchw ({F_HTA_NS})"},
    {"match": r"elementwise|at::native::|^triton_(poi|red|per)_|rocprim|\bcub::|^add_parallel$", "class": "elementwise",
     "source": f"PyTorch at::native elementwise/reduce/multi_tensor_apply kernels (every Kineto fixture); Inductor triton_poi_* "
               f"({F_HTA_TRITON}, {F_VLLM_AMD}); rocPRIM scan ({F_SGL}); add_parallel, the vector add of {F_TESTCUDA}"},
)


def without_parameters(name: str) -> str:
    """A demangled name without its parameter list (``f<T>(int, flashinfer::Layout)`` -> ``f<T>``):
    parameter types name other libraries (a TensorRT-LLM quantiser takes a ``flashinfer::`` layout),
    while template arguments say what the kernel does (``elementwise_kernel<..FillFunctor..>``)."""
    if not name.endswith(")"):
        return name
    depth = 0
    for i in range(len(name) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(name[i], 0)
        if depth == 0:
            return name[:i] if i else name
    return name


@dataclass(frozen=True)
class Taxonomy:
    """Compiled rules: ``(pattern, class)`` pairs tried in order."""

    rules: tuple[tuple[re.Pattern, str], ...]
    _cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, own: Iterable[dict] = (), defaults: bool = True) -> "Taxonomy":
        """``own`` rules (``{"match": REGEX, "class": CLASS}``, as a deck writes them) before the
        shipped ones (left out when ``defaults`` is false)."""
        items = [*own, *(DEFAULT_RULES if defaults else ())]
        return cls(tuple((re.compile(r["match"], re.IGNORECASE), r["class"]) for r in items))

    def rule_class(self, name: str) -> str | None:
        """The class of the first rule matching ``name``; None when no rule does."""
        if name not in self._cache:
            subject = without_parameters(name)
            self._cache[name] = next((c for p, c in self.rules if p.search(subject)), None)
        return self._cache[name]

    def classify(self, name: str) -> str:
        return self.rule_class(name) or "other"

    def unmatched(self, names: Iterable[str]) -> list[str]:
        """The names no rule matches (sorted, distinct)."""
        return sorted({n for n in names if self.rule_class(n) is None})


DEFAULT = Taxonomy.of()


def classify(name: str) -> str:
    """The class of a kernel name under the shipped rules."""
    return DEFAULT.classify(name)

