"""Example tfeic plugin: the ``word_count`` source and the ``quote`` directive (docs/plugins.md)."""
