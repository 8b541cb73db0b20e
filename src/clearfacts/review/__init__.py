"""Review before print: what changed between two revisions of the content (`diff`), where each
change lands in the built outputs, and how the pages look (`preview`).

Sits between the CLI and the pipeline: it reads old revisions through git, loads them with the
pipeline's loader, finds where changes land with the fact matrix, and renders page images with
PDFium and Pillow. Nothing here prints; the CLI formats what these modules return.
"""
