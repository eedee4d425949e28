"""Errors a user can fix. The command line prints them as one line and exits 2."""


class UserError(Exception):
    """Bad input: a scenario file, a folder, a metric name. Message is one line."""

    exit_code = 2
