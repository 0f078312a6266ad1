"""Input and output: bounded reading of user files, atomic run directories, tables, terminal text.

Everything Empathica reads from a user goes through ``files.read_input_bytes``
(regular files only, bounded size, never modified); everything it writes as
results goes through ``rundir.RunDirectory`` (staged under a temporary name,
swapped into place only when complete). Submodules: ``files``, ``rundir``,
``tables`` (Parquet/CSV writers), ``terminal`` (escaping data for display) and
``failpoints`` (fault injection for crash tests). Importing this package imports
nothing heavy.
"""

from empathica.io.files import read_input_bytes

__all__ = ["read_input_bytes"]
