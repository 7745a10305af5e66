"""What the engines' command lines share: JSON in, JSON out, exit status 2 on bad input.

Used by ``python -m tandem.engines.pairing`` and ``python -m tandem.engines.scheduling``
(no Django import).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXIT_INPUT_ERROR = 2


def add_io_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("input", help="input JSON file ('-' for standard input)")
    cmd.add_argument("--out", help="write the JSON result here instead of standard output")
    cmd.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")


def load_json(path: str, error: Callable[..., ValueError]) -> object:
    """The parsed document, or ``error(message, field="(file)")`` raised."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}", field="(file)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", field="(file)"
        ) from None


def run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    compute: Callable[[argparse.Namespace, object], dict[str, Any]],
    error_type: type[ValueError],
    count_key: Callable[[argparse.Namespace], str],
) -> int:
    """Parse arguments, load the input, compute, write the result; 2 on input errors."""
    args = parser.parse_args(argv)
    try:
        result = compute(args, load_json(args.input, error_type))
    except error_type as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    text = json.dumps(result, indent=args.indent or None, ensure_ascii=False, allow_nan=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        what = count_key(args)
        print(f"wrote {len(result[what])} {what} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0
