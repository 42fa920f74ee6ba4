"""The real servers of tests/inference (its ``fault_server.py`` process, the llama.cpp server, a refused
port) reused here rather than duplicated: that conftest is loaded under its own module name and
its fixtures re-exported."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_path = Path(__file__).resolve().parent.parent / "inference" / "conftest.py"
_spec = importlib.util.spec_from_file_location("tfeic_tests_inference_conftest", _path)
_inference = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _inference
_spec.loader.exec_module(_inference)

fault_server = _inference.fault_server
refused_url = _inference.refused_url
llama_command = _inference.llama_command
tiny_gguf = _inference.tiny_gguf
llama_server = _inference.llama_server
