"""What the recognizer's numbers cannot tell: one wording, shown by the README, the
command line, the report and the app (a test keeps the README's copy identical)."""

LIMITS = (
    "What the numbers can and cannot mean: they are patterns in recorded behaviour, "
    "never a diagnosis, and they describe the record, not the person. A diary written "
    "from memory, with misremembered context or only the memorable episodes, gives "
    "confident-looking numbers about the diary. The probabilities are calibrated on "
    "simulated people with known motives (accuracy 0.99 separating genuine from "
    "strategic actors at 50 episodes, calibration error about 0.03); for a real diary "
    "they are only as trustworthy as the recording, and noisy recording shrinks "
    'conditionality toward "uncertain". See `docs/recognize.md`.'
)

#: What Empathica is not, in one line (the README's first point).
NOT_A_DIAGNOSIS = (
    "Empathica is not a diagnostic tool: it never says that a person has a disorder; "
    "profiles named bpd and npd are model agents built from a popular article's description, not people."
)
