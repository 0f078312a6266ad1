"""The virtual lab: instruments and tasks modelled on real ones (``tasks``), relationship
cohorts (``cohorts``) and the statistics of a study (``stats``), used by validation."""
