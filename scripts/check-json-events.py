#!/usr/bin/env python3
"""Checks JSON lines printed by wstap (`proxy --jsonl`, `connect --jsonl`, `serve --jsonl`, `view --jsonl`,
`decode --json`) against docs/json-events.schema.json, the one definition of their events.

Usage: scripts/check-json-events.py [FILE...]   (standard input without files)
Prints one line per line that is not JSON or does not fit the schema (`LINE: error: the line`) and exits
1 if there was any, 0 otherwise; 2 when the schema itself is not valid JSON Schema. Needs python3-jsonschema.
"""
import json
import pathlib
import sys

import jsonschema

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "docs" / "json-events.schema.json"


def main():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        print(f"{SCHEMA}: not a valid JSON Schema: {error.message}")
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    sources = [open(name, encoding="utf-8") for name in sys.argv[1:]] or [sys.stdin]
    bad = 0
    checked = 0
    for source in sources:
        for number, line in enumerate(source, start=1):
            line = line.rstrip("\n")
            where = f"{source.name}:{number}" if source is not sys.stdin else str(number)
            try:
                event = json.loads(line)
            except ValueError as error:
                print(f"{where}: not JSON ({error}): {line[:300]}")
                bad += 1
                continue
            checked += 1
            errors = sorted(validator.iter_errors(event), key=lambda e: list(e.absolute_path))
            for error in errors[:3]:
                path = "/".join(str(part) for part in error.absolute_path) or "(the event)"
                print(f"{where}: {path}: {error.message}: {line[:300]}")
            if errors:
                bad += 1
    if checked == 0 and bad == 0:
        print("no lines to check")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
