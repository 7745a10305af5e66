"""Command line: ``python -m tandem.scheduling slots|rotate INPUT.json [--out OUT.json]``.

Exit status: 0 on success, 2 on unreadable or invalid input (the message names the
participant and the field), as for command-line usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tandem.scheduling.api import find_slots, rotate
from tandem.scheduling.model import SchedulingInputError

EXIT_INPUT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tandem.scheduling",
        description="Find meeting times for participants in many time zones.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("slots", "rank candidate start times (and pairs of sessions with sessions=2)"),
        ("rotate", "choose a time per meeting of a series, sharing unsociable hours fairly"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("input", help="input JSON file ('-' for standard input)")
        cmd.add_argument("--out", help="write the JSON result here instead of standard output")
        cmd.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")
    return parser


def _load(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SchedulingInputError(f"cannot read {path}: {exc.strerror}", field="(file)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchedulingInputError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", field="(file)"
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = _load(args.input)
        result = find_slots(data) if args.command == "slots" else rotate(data)
    except SchedulingInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    text = json.dumps(result, indent=args.indent or None, ensure_ascii=False, allow_nan=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        what = "slots" if args.command == "slots" else "meetings"
        print(f"wrote {len(result[what])} {what} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
