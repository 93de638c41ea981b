"""briefbot's platform adapters: Slack, Discord and the console."""
