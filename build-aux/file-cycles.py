#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lists circles between source files: A needs B when A.o uses a function or
variable that B.o defines. Prints each group of files that need each other,
one group a line, for every static library in a build folder.

    build-aux/file-cycles.py build
"""
import collections
import glob
import json
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", obj], capture_output=True, text=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1] in "TDBR"}
    out = subprocess.run(["nm", "--undefined-only", obj], capture_output=True, text=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.split()}
    return defined, used


def circles(objs):
    defined_by = {}
    uses = {}
    for obj in objs:
        defined, used = symbols(obj)
        for name in defined:
            defined_by[name] = obj
        uses[obj] = used
    graph = collections.defaultdict(set)
    for obj, used in uses.items():
        for name in used:
            other = defined_by.get(name)
            if other and other != obj:
                graph[obj].add(other)
    # Tarjan's strongly connected components.
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in sorted(uses):
        if v not in index:
            visit(v)
    return found


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    # Only objects the build still makes, not those of files since removed.
    with open(os.path.join(build, "compile_commands.json")) as f:
        current = {os.path.normpath(os.path.join(build, c["output"])) for c in json.load(f)}
    total = 0
    for lib in sorted(glob.glob(os.path.join(build, "**", "*.a.p"), recursive=True)):
        objs = sorted(o for o in glob.glob(os.path.join(lib, "*.o")) if os.path.normpath(o) in current)
        for group in circles(objs):
            names = sorted(os.path.basename(o).split(".c.o")[0].split("_")[-1] + ".c" for o in group)
            print(f"{os.path.relpath(lib, build)}: {' ↔ '.join(names)}")
            total += 1
    print(f"{total} circle(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
