"""Reports and initiative registers into searchable chunks in Chroma."""
