"""Command line: ``python -m tandem.engines.scheduling slots|rotate INPUT.json [--out OUT.json]``.

Exit status: 0 on success, 2 on unreadable or invalid input (the message names the
participant and the field), as for command-line usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tandem.engines.common.cli import EXIT_INPUT_ERROR, add_io_arguments, run
from tandem.engines.scheduling.api import find_slots, rotate
from tandem.engines.scheduling.model import SchedulingInputError

__all__ = ["EXIT_INPUT_ERROR", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tandem.engines.scheduling",
        description="Find meeting times for participants in many time zones.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("slots", "rank candidate start times (and pairs of sessions with sessions=2)"),
        ("rotate", "choose a time per meeting of a series, sharing unsociable hours fairly"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        add_io_arguments(cmd)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run(
        _parser(),
        argv,
        lambda args, data: find_slots(data) if args.command == "slots" else rotate(data),
        SchedulingInputError,
        lambda args: "slots" if args.command == "slots" else "meetings",
    )


if __name__ == "__main__":
    sys.exit(main())
