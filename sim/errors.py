"""Errors a user can fix. The command line prints them as one line and exits 2."""


class UserError(Exception):
    """Bad input: a scenario file, a folder, a metric name. Message is one line."""

    exit_code = 2
    prefix = "error: "  # an error that starts with FILE:LINE: has none (editors jump to it)

    def for_terminal(self) -> str:
        """The line the command line prints."""
        return f"{self.prefix}{self}"
