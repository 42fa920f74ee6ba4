"""Domain package for talking to OpenAI-compatible inference servers (trtllm-serve, llama-server, vLLM).

``model`` holds the values (an ``InferenceRun`` and what the probes found); ``sse`` parses event
streams; ``client`` sends one request and measures it on the wire; ``probes`` asks the optional
endpoints; ``snapshot`` records and replays runs; ``synthetic`` makes the dry-run twin; ``secrets``
redacts the API key and URL credentials from whatever comes back; ``wire`` counts and bounds each
exchange. Nothing here knows about decks or slides.
"""
