#!/usr/bin/env python3
"""Fails when a module imports one it must not (DESIGN.md §2: the imports form a DAG).

    python3 Scripts/check-layering.py

Each module under Sources/ may import only the modules listed for it in ALLOWED (plus system and
package dependencies, which are not Strata modules). An import outside its list — an upward import,
or one that would close a cycle — is printed with file and line, and the exit status is 1. A new
module must be added here, which makes its place in the layering a reviewed decision.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "Sources")

# Module -> the Strata modules it may import (DESIGN.md §2, bottom up).
ALLOWED = {
    "CStrataZstd": set(),
    "CStrataLZ4": set(),
    "CStrataRoaring": set(),
    "CStrataCRC": set(),
    "CStrataPrefetch": set(),
    "StrataCore": set(),
    "StrataStats": set(),
    "StrataSQL": {"StrataCore"},
    "StrataDatasets": {"StrataCore"},
    "StrataFormats": {"StrataCore"},
    "StrataStorage": {"StrataCore", "CStrataZstd", "CStrataLZ4", "CStrataRoaring", "CStrataCRC"},
    "StrataExecution": {"StrataCore", "StrataStorage", "CStrataPrefetch"},
    "StrataIngest": {"StrataCore", "StrataStorage", "StrataFormats"},
    "StrataPlanner": {"StrataCore", "StrataStorage", "StrataExecution", "StrataSQL"},
    "StrataExperiments": {"StrataCore", "StrataStorage", "StrataExecution", "StrataSQL", "StrataPlanner", "StrataStats"},
    "Strata": {
        "StrataCore", "StrataStorage", "StrataExecution", "StrataSQL", "StrataPlanner", "StrataExperiments",
        "StrataFormats", "StrataIngest", "StrataStats",
    },
    "StrataTestSupport": {
        "Strata", "StrataCore", "StrataStorage", "StrataExecution", "StrataSQL", "StrataPlanner", "StrataExperiments",
        "StrataFormats", "StrataIngest", "StrataStats", "StrataDatasets", "CStrataZstd",
    },
    "strata": {"Strata", "StrataCore", "StrataStats", "StrataDatasets"},
}

IMPORT = re.compile(r"^\s*(?:@[\w()]+\s+)*(?:public\s+|package\s+|internal\s+)?import\s+(?:\w+\s+)?(\w+)")


def main():
    strata_modules = set(os.listdir(SOURCES))
    problems = []
    for module in sorted(strata_modules):
        directory = os.path.join(SOURCES, module)
        if not os.path.isdir(directory):
            continue
        if module not in ALLOWED:
            problems.append(f"Sources/{module}: not in Scripts/check-layering.py's ALLOWED; give it a place")
            continue
        for base, _, files in os.walk(directory):
            for name in files:
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(base, name)
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = IMPORT.match(line)
                        if not m:
                            continue
                        imported = m.group(1)
                        if imported in strata_modules and imported not in ALLOWED[module]:
                            problems.append(f"{os.path.relpath(path, ROOT)}:{number}: {module} imports {imported}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} import(s) break the module layering (DESIGN.md §2)")
        sys.exit(1)
    print(f"module layering ok ({len(strata_modules)} modules)")


if __name__ == "__main__":
    main()
