#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The manual pages against the programs: every option and command that
--help (and each command's own usage message) lists is in the man page, in
the section of that command, and the man page lists none that the program
does not have. Every page renders with man -l without a warning."""
import os
import re
import subprocess
import sys
import tempfile

BUILD = os.environ.get("ANNOLAB_BUILD_ROOT", "build")
PROGRAMS = {
    "annolab": os.path.join(BUILD, "app", "annolab"),
    "annolab-queue": os.path.join(BUILD, "server", "annolab-queue"),
    "annolab-score": os.path.join(BUILD, "score", "annolab-score"),
}
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])(?![\w-])")
results = []


def check(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} {name}")
    for line in detail.splitlines() if not ok else []:
        print(f"# {line}")


def run(*argv):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="en")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30)
    return p.stdout + p.stderr


def options(text):
    return set(OPTION.findall(text))


def roff_text(path):
    """The page's source as plain text: escapes and font changes removed."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"\\f[BIRPC]|\\f\(..|\\f\[[^]]*\]", "", text)
    text = text.replace("\\-", "-").replace("\\e", "\\").replace("\\(em", "-")
    return text


def man_sections(path):
    """Splits a page into {(SH title, SS title or ''): tags}: the .SS
    heading and the tag line of each .TP, where options are described (an
    option named in passing in the prose does not count)."""
    sections = {}
    sh, ss, tag_next = "", "", False
    for line in roff_text(path).splitlines():
        if line.startswith(".SH "):
            sh, ss = line[4:].strip().strip('"'), ""
            sections.setdefault((sh, ss), [])
        elif line.startswith(".SS "):
            ss = line[4:].strip().strip('"')
            sections.setdefault((sh, ss), []).append(ss)
        elif tag_next:
            sections.setdefault((sh, ss), []).append(line)
        tag_next = line.startswith(".TP")
    return {k: "\n".join(v) for k, v in sections.items()}


def commands_of(sections):
    """The commands a page documents: the first word of each .SS heading
    under COMMANDS, with the options of its sections ("user add" and
    "user set" are both "user")."""
    found = {}
    for (sh, ss), text in sections.items():
        if sh == "COMMANDS" and ss:
            found.setdefault(ss.split()[0], set()).update(options(text))
    return found


def compare(program, what, listed, documented):
    missing = sorted(listed - documented)
    stale = sorted(documented - listed)
    check(not missing and not stale, f"{program}: {what} agree with the man page",
          (f"in the program's usage but not in the man page: {' '.join(missing)}\n" if missing else "")
          + (f"in the man page but not in the program's usage: {' '.join(stale)}" if stale else ""))


def help_commands(text, pattern):
    """{command: options} from a usage text, each command's block running
    to the next command's line."""
    found, current = {}, None
    for line in text.splitlines():
        m = re.match(pattern, line)
        if m:
            current = m.group(1)
            found.setdefault(current, set())
            line = line[m.end():]
        if current:
            found[current] |= options(line)
    return found


def main():
    man_dir = os.path.join(BUILD, "docs", "man")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "empty.db")
        for program, binary in PROGRAMS.items():
            page = os.path.join(man_dir, program + ".1")
            if not os.path.exists(page) or not os.path.exists(binary):
                check(False, f"{program}: man page and program are built", f"missing {page} or {binary}")
                continue
            sections = man_sections(page)
            doc_commands = commands_of(sections)
            doc_global = options(sections.get(("OPTIONS", ""), ""))

            if program == "annolab":
                usage = run(binary, "--help-all")
                compare(program, "options of --help-all", options(usage), doc_global)
                compare(program, "options of --help", options(run(binary, "--help")) - doc_global, set())
            elif program == "annolab-queue":
                usage = run(binary, "--help")
                listed = help_commands(usage.split("Commands:", 1)[-1], r"^  ([a-z][a-z-]*)\b")
                compare(program, "commands of --help", set(listed), set(doc_commands))
                compare(program, "global options", options(usage.split("Commands:", 1)[0]) | {"-h", "--help"}, doc_global)
                for command, opts in listed.items():
                    # Each command's own messages (run on an empty database,
                    # without arguments, then asking for help) may name more.
                    own = run(binary, "--db", db, command) + run(binary, "--db", db, command, "--help")
                    opts = opts | (options(own) - {"--db", "--help", "-h"})
                    compare(program, f"options of '{command}'", opts, doc_commands.get(command, set()))
            else:
                usage = run(binary, "--help")
                listed = help_commands(usage, r"^  annolab-score ([a-z][a-z-]*)\b")
                compare(program, "commands of --help", set(listed), set(doc_commands))
                compare(program, "global options", {"-h", "--help"}, doc_global)
                for command, opts in listed.items():
                    own = run(binary, command)
                    own = own.split("Usage:", 1)[0]
                    compare(program, f"options of '{command}'", opts | (options(own) - {"--help", "-h"}),
                            doc_commands.get(command, set()))

            env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
            p = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True, env=env)
            check(p.returncode == 0 and not p.stderr.strip() and "SYNOPSIS" in p.stdout
                  and "EXAMPLES" in p.stdout,
                  f"{program}: man -l renders the page without a warning, with examples",
                  p.stderr)
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


sys.exit(main())
