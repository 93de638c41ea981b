"""The briefbot application: config, scheduler, sources, notifier and the CLI."""
