"""The chat surface: the command grammar, the commands and their help."""
