"""The colours every output uses, as hex: dark text on white, contrast well above 7:1.

Plain strings so the deck can use them without loading reportlab's PDF machinery.
"""

INK = "1A1A1A"  # 17:1 on white
ACCENT = "0B3D91"  # dark blue, 11:1 on white
RULE = "5A5A5A"
TINT = "EEF2F9"  # call-out background; INK on it is still > 15:1
