"""``python -m interviewer``."""

import sys

from ._cli import main


def run() -> int:
    """The command line, with a one-line message instead of a traceback when not installed."""
    try:
        return main()
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if not missing or missing == "interviewer":
            raise
        print(f"interviewer: the dependency '{missing}' is not installed; install the "
              f"interviewer with `pip install .` from its folder", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())
