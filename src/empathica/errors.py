"""Errors that the command line turns into one clear line and exit code 2."""


class EmpathicaInputError(ValueError):
    """A usage or input problem the user can fix (bad profile, bad pair, bad size...)."""
