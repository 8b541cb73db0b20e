"""clearfacts: one YAML source of truth → print-ready handouts and a slide deck that agree."""

__version__ = "0.1.0"
