"""Errors a user can fix. The command line prints them as one line and exits 2."""

MAX_LINE = 400  # characters of an error line; a value quoted in it may be huge


class UserError(Exception):
    """Bad input: a scenario file, a folder, a metric name. Message is one line."""

    exit_code = 2
    prefix = "error: "  # an error that starts with FILE:LINE: has none (editors jump to it)

    def for_terminal(self) -> str:
        """The line the command line prints: one line, cut to a readable length."""
        return one_line(f"{self.prefix}{self}")


class RunError(UserError):
    """A sweep that started and could not go on (a full disk, a read-only folder).
    Finished runs are kept; the command exits 1, as for a failed run."""

    exit_code = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill PID``, a batch scheduler, ``timeout``), handled as Ctrl-C is:
    finished runs are kept and the manifest says ``interrupted``."""

    exit_code = 143  # 128 + SIGTERM, as a shell reports a process killed by it


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """``text`` on one line, at most ``limit`` characters (the middle is cut)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    keep = (limit - 5) // 2
    return f"{text[:keep]} ... {text[-keep:]}"
