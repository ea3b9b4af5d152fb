"""The desktop app: the only part of hoscase that imports Qt."""
