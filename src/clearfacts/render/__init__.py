"""Renderers: model objects in, bytes out. None of them reads YAML or writes files."""
