"""The colours every output uses, as hex: dark text on white, contrast well above 7:1.

Plain strings so the deck can use them without loading reportlab's PDF machinery.
"""

INK = "1A1A1A"  # 17:1 on white
ACCENT = "0B3D91"  # dark blue, 11:1 on white
RULE = "5A5A5A"
TINT = "EEF2F9"  # call-out background; INK on it is still > 15:1
# The `contrast` block's two panels: a teal for what is approved, a dark red for what is not,
# each the colour of its mark, border and title (7.5:1 and 8.6:1 on its own tint; INK on either
# tint > 14:1). A check mark and a cross, and the titles' words, say the same: never colour alone.
YES, YES_TINT = "00574B", "E6F4F1"
WARN = "8B0000"  # dark red: 10:1 on white; the handout's warning panel, the "not approved" mark and panel
WARN_TINT = "FFF3E6"  # the warning panel's background (WARN on it 9:1)
NO, NO_TINT = WARN, "FBEAEA"
