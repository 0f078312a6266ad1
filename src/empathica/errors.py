"""Errors that the command line turns into one clear line and an exit code."""


class EmpathicaError(Exception):
    """A problem the user can act on; the command line prints its message as one line, exit 2."""

    exit_code = 2


class EmpathicaInputError(EmpathicaError, ValueError):
    """A usage or input problem the user can fix (bad profile, bad pair, bad size...)."""


class EmpathicaOutputError(EmpathicaError):
    """Results cannot be written (disk full, results already there, unwritable folder)."""


class Interrupted(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP); raised in the main thread so that
    unfinished outputs are removed on the way out, as for Ctrl-C (``KeyboardInterrupt``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
