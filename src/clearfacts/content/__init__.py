"""Everything that knows YAML exists: read a content folder into a validated `ContentSet`."""
