"""The kernel taxonomy on every kernel name of the committed real traces: each name is matched by a
shipped rule (the test lists the ones that are not), the classes of names a performance engineer
knows are the expected ones, a deck's own rules come first, and docs/kernel-taxonomy.md documents
every shipped rule. Names are read here with plain json/sqlite3, not with tfeic's readers."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from tfeic.domains.timeline.taxonomy import CLASSES, DEFAULT_RULES, Taxonomy, classify

from .conftest import FIXTURES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "kernel-taxonomy.md"


def fixture_kernel_names() -> dict[str, set[str]]:
    """Distinct kernel names per fixture file: Kineto ``X`` events of category kernel/Kernel, and
    the nsys exports' CUPTI_ACTIVITY_KIND_KERNEL names (demangled, as tfeic reads them first: shortName)."""
    found: dict[str, set[str]] = {}
    for path in sorted(FIXTURES.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
        events = data["traceEvents"] if isinstance(data, dict) else data
        found[path.name] = {e["name"] for e in events if e.get("ph") == "X" and e.get("cat") in ("kernel", "Kernel")}
    for path in sorted(FIXTURES.glob("*.sqlite")):
        db = sqlite3.connect(path)
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'CUPTI_ACTIVITY_KIND_KERNEL'").fetchone():
            found[path.name] = {n for (n,) in db.execute("SELECT s.value FROM CUPTI_ACTIVITY_KIND_KERNEL k JOIN StringIds s ON s.id = k.shortName")}
        db.close()
    return found


def test_every_fixture_kernel_is_matched_by_a_shipped_rule():
    names = fixture_kernel_names()
    assert sum(len(v) for v in names.values()) >= 170  # 180 distinct names in the fixtures today
    unmatched = {f: Taxonomy.of().unmatched(v) for f, v in names.items()}
    assert {f: u for f, u in unmatched.items() if u} == {}


@pytest.mark.parametrize("name,cls", [
    ("sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas", "gemm"),
    ("nvjet_tst_64x16_64x16_2x4_2cta_h_bz_bias_TNT", "gemm"),
    ("Cijk_Alik_Bljk_BBS_BH_Bias_HA_S_SAV_UserArgs_MT16x32x512_MI16x16x1_SN_LDSB1", "gemm"),
    ("volta_sgemm_64x64_nt", "gemm"),
    ("ampere_bf16_s16816gemm_bf16_128x128_ldg8_f2f_stages_32x5_tn", "gemm"),
    ("cudnn_infer_volta_scudnn_128x64_relu_medium_nn_v1", "gemm"),  # a convolution: relu is its epilogue
    ("fmhaSm100aKernel_QkvE4m3OBfloat16H64PagedKvCausalP16VarSeqQ128Kv128PersistentContext", "attention"),
    ("kernel_unified_attention_3d", "attention"),
    ("flashinfer::BatchDecodeWithPagedKVCacheKernel", "attention"),
    ("ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<4096ul>)", "communication"),
    ("void vllm::cross_device_reduce_1stage<__nv_bfloat16, 8>(vllm::RankData*, vllm::RankSignals)", "communication"),
    ("void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, unsigned char, (vllm::Fp8KVCacheDataType)1>(__nv_bfloat16 const*)", "memory"),
    ("void at::native::vectorized_elementwise_kernel<8, at::native::FillFunctor<c10::BFloat16>, std::array<char*, 1ul> >(int)", "memory"),
    ("void cudnn::bn_fw_tr_1C11_singleread<float, 512, true, 1, 2, 0>(cudnn::bn_fw_tr_1C11_args<float>)", "norm"),
    ("void vllm::rms_norm_kernel<c10::BFloat16, 8, 2>(c10::BFloat16*, c10::BFloat16 const*)", "norm"),
    ("void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4, 4> >(x)", "sampling"),
    ("flashinfer::sampling::TopKTopPSamplingFromProbKernel", "sampling"),
    # the parameter list names flashinfer; the kernel is a quantiser
    ("void tensorrt_llm::kernels::quantize_with_block_size<(tensorrt_llm::BlockScaleQuantizationType)2, __nv_bfloat16, 32, true>"
     "(int, flashinfer::QuantizationSFLayout)", "elementwise"),
    ("add_parallel", "elementwise"),
    ("some_kernel_no_rule_knows", "other"),
])
def test_known_names_land_in_their_class(name, cls):
    assert classify(name) == cls


def test_a_decks_rules_come_before_the_shipped_ones():
    own = Taxonomy.of([{"match": r"^add_parallel$", "class": "communication"}])
    assert own.classify("add_parallel") == "communication"
    assert own.classify("volta_sgemm_64x64_nt") == "gemm"
    alone = Taxonomy.of([{"match": "gemm", "class": "gemm"}], defaults=False)
    assert alone.unmatched(["volta_sgemm_64x64_nt", "add_parallel"]) == ["add_parallel"]


def test_every_shipped_rule_has_a_known_class_a_source_and_a_line_in_the_docs():
    docs = DOCS.read_text(encoding="utf-8")
    for rule in DEFAULT_RULES:
        assert rule["class"] in CLASSES
        assert rule["source"]
        assert f"`{rule['match']}`" in docs, rule["match"]


def test_a_bad_pattern_in_a_deck_is_one_spec_error_at_its_rules():
    from tfeic.cli.exit_codes import exit_code
    from tfeic.core.diagnostics import Pos, SpecError
    from tfeic.domains.timeline.rules import Rules

    with pytest.raises(SpecError) as err:
        Rules.from_options({"kernel_classes": [{"match": "(", "class": "gemm"}]}, Pos("deck.yaml", 7, 7))
    assert err.value.diagnostics[0].format().startswith("deck.yaml:7:7: error: rules: '(' is not a regular expression")
    assert exit_code(err.value) == 2
    rules = Rules.from_options({"kernel_classes": [{"match": "^add_parallel$", "class": "gemm"}]})
    assert rules.kernel_classes.classify("add_parallel") == "gemm"
