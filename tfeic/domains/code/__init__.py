"""Source code and configuration shown on slides: syntax highlighting into classed runs."""
