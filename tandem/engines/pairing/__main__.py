"""Command line: ``python -m tandem.engines.pairing solve|score INPUT.json [--out OUT.json]``.

``solve --alternatives K`` adds each participant's best ``K`` feasible partners (scores only).

Exit status: 0 on success, 2 on unreadable or invalid input (the message names the
participant and the field), as for command-line usage errors.  Every reason and ``why`` in the
output carries its English ``"text"`` beside its ``code`` and ``params``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tandem.engines.common.cli import EXIT_INPUT_ERROR, add_io_arguments, run
from tandem.engines.pairing.api import METHODS, score, solve
from tandem.engines.pairing.model import PairingInputError
from tandem.engines.pairing.reasons import with_text

__all__ = ["EXIT_INPUT_ERROR", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tandem.engines.pairing",
        description="Pair experienced and learning consortium leads.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("solve", "find the optimal pairing and explain it"),
        ("score", "list every feasible pair with its score and reasons"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        add_io_arguments(cmd)
        if name == "solve":
            cmd.add_argument(
                "--method",
                choices=sorted(METHODS),
                default="optimal",
                help="assignment method (baselines for comparison; default optimal)",
            )
            cmd.add_argument(
                "--alternatives",
                type=int,
                default=0,
                metavar="K",
                help="also list each participant's best K feasible partners (default 0: none)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run(
        _parser(),
        argv,
        lambda args, data: with_text(
            solve(data, method=args.method, alternatives=max(0, args.alternatives))
            if args.command == "solve"
            else score(data)
        ),
        PairingInputError,
        lambda args: "pairs",
    )


if __name__ == "__main__":
    sys.exit(main())
