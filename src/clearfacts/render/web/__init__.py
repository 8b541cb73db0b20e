"""The web edition: the handout, the booklet and a start page as self-contained, accessible HTML.

Content reaches the markup only through Jinja2's auto-escaping (`pages.py`); what the templates
need that is not plain content (anchors, allowed links, the chart's geometry) is worked out in
`view.py`, so the templates stay free of logic.
"""
