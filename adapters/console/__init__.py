"""briefbot in a terminal: replies printed as text, commands typed at a prompt."""
