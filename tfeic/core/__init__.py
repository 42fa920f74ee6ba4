"""What every stage and domain uses: diagnostics, digests, registries, resources, progress,
terminal output, plain data for templates, bounded data-file and JSON reading, and the build cache."""
