"""Command line: ``python -m tandem.pairing solve|score INPUT.json [--out OUT.json]``.

Exit status: 0 on success, 2 on unreadable or invalid input (the message names the
participant and the field), as for command-line usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tandem.pairing.api import METHODS, score, solve
from tandem.pairing.model import PairingInputError

EXIT_INPUT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tandem.pairing",
        description="Pair experienced and learning consortium leads.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("solve", "find the optimal pairing and explain it"),
        ("score", "list every feasible pair with its score and reasons"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("input", help="input JSON file ('-' for standard input)")
        cmd.add_argument("--out", help="write the JSON result here instead of standard output")
        cmd.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")
        if name == "solve":
            cmd.add_argument(
                "--method",
                choices=sorted(METHODS),
                default="optimal",
                help="assignment method (baselines for comparison; default optimal)",
            )
    return parser


def _load(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PairingInputError(f"cannot read {path}: {exc.strerror}", field="(file)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PairingInputError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", field="(file)"
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = _load(args.input)
        result = solve(data, method=args.method) if args.command == "solve" else score(data)
    except PairingInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    text = json.dumps(result, indent=args.indent or None, ensure_ascii=False, allow_nan=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {len(result['pairs'])} pairs to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
