"""The model: traits and profiles, mechanism constants, random streams, the mechanisms and the
fused kernel that composes them into days of dyads (``step`` for one day)."""
