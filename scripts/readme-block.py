#!/usr/bin/env python3
"""Prints the code block that follows `<!-- NAME -->` in README.md, exactly as printed there.

    scripts/readme-block.py quickstart:program:webapp
    scripts/readme-block.py --without-marked quickstart:program:webapp   # minus the lines marked `// AutoTrack`
"""
import pathlib
import sys

args = sys.argv[1:]
without_marked = "--without-marked" in args
name = [a for a in args if not a.startswith("--")][0]
lines = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").splitlines()
marker = f"<!-- {name} -->"
try:
    start = lines.index(marker)
except ValueError:
    sys.exit(f"README.md has no {marker}")
fence = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
end = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
block = lines[fence + 1:end]
if without_marked:
    block = [line for line in block if not line.rstrip().endswith("// AutoTrack")]
print("\n".join(block))
