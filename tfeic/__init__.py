"""tfeic: a declarative deck compiler for people who explain LLM inference.

The pipeline runs one way through five stages, one package each (see ``docs/architecture.md``):
``spec`` (YAML -> Deck), ``sources`` (Deck sources -> domain values), ``directives`` (slide
directives -> Slide IR), ``layout`` (IR -> placed boxes + Proof), ``render`` (placed slides -> .pptx).
"""

__version__ = "0.1.0"
