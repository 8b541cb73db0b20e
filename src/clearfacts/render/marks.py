"""The `contrast` block's two marks, a check and a cross, as strokes in a unit square (y down),
so the booklet, the deck and the web pages draw the same shapes from one definition."""

CHECK = ((0.12, 0.55), (0.40, 0.82), (0.88, 0.20))  # one polyline
CROSS = (((0.18, 0.18), (0.82, 0.82)), ((0.82, 0.18), (0.18, 0.82)))  # two strokes
STROKE = 0.17  # line width, × the mark's side
