#!/usr/bin/env python3
"""Reads a scenario file and prints it as JSON; rejects a bad file naming file and line.

A scenario is a few lines of `key value...`; `#` starts a comment. Keys:
  machine NAME          QEMU preset, selftests/machines/NAME (required, once)
  cmdline ARG...        kernel command line arguments (any number of lines)
  action NAME WHAT...   a host action the guest test may ask for by NAME
                        (WHAT: dimm-add ID SIZE [NODE] | dimm-del ID [TIMEOUT_S] |
                        dimm-unplug ID [TIMEOUT_S]: as dimm-del, but the DIMM's host
                        memory stays for the next dimm-add of ID, as a real DIMM's would)
  guest TEST ARG...     the guest test, selftests/guest/tests/TEST (required, once)
  timeout SECONDS       limit for the whole run after boot (default 600)
  trees TREE...         the target trees (ci/trees/TREE.conf) the scenario runs on
                        (default 6.1); the stages run only a tree's own scenarios
  kernel patched|unpatched
                        which kernel boots (default patched; unpatched is the tree's base
                        built with the same config)
  expect METRIC < FACTOR * SCENARIO
                        the median of the guest's `# metric METRIC VALUE` lines must be
                        below FACTOR times that of SCENARIO (run first, same kernel command
                        line rules apply)
  expect-panic REGEX    the guest may die with a console line matching REGEX (scenarios
                        that show the problem the series solves): it passes if it does, or
                        if the guest test passes (the test then asserts the failure)
  expect-oops REGEX     the guest must die with a console line matching REGEX: a bug of
                        the unpatched kernel that a test reproduces every time; it fails
                        if the guest survives
  tolerate REGEX        kernel report lines matching REGEX do not fail the scenario (only
                        for scenarios that show the unpatched kernel's own behaviour)
  tolerate-leak REGEX   kmemleak reports with a backtrace frame matching REGEX do not
                        fail the scenario (leaks of 6.1 code outside the series that a
                        fault sweep provokes, e.g. the ACPI interpreter's error paths)
The comment lines at the top are the scenario's description.
"""
import json
import os
import re
import sys

ACTIONS = {"dimm-add": (2, 3), "dimm-del": (1, 2), "dimm-unplug": (1, 2)}


def parse(path, top):
    scn = {"name": os.path.basename(path)[: -len(".scn")], "description": "",
           "machine": None, "cmdline": [], "actions": {}, "guest": None,
           "timeout": 600, "kernel": "patched", "expect": [],
           "tolerate": [], "tolerate_leak": [], "expect_panic": None,
           "expect_oops": None, "trees": ["6.1"]}
    errors = []

    def err(lineno, msg):
        errors.append(f"{path}:{lineno}: {msg}")

    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = True
    for lineno, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("#"):
            if header:
                scn["description"] = (scn["description"] + " " + raw.lstrip()[1:].strip()).strip()
            continue
        header = False
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, *args = line.split()
        if key == "machine":
            if len(args) != 1:
                err(lineno, "machine takes one preset name")
            elif scn["machine"]:
                err(lineno, "machine given twice")
            elif not os.path.isfile(os.path.join(top, "selftests/machines", args[0])):
                err(lineno, f"no machine preset '{args[0]}' in selftests/machines/")
            else:
                scn["machine"] = args[0]
        elif key == "cmdline":
            if not args:
                err(lineno, "cmdline needs at least one argument")
            scn["cmdline"] += args
        elif key == "action":
            if len(args) < 2:
                err(lineno, "action needs a NAME and what to do")
                continue
            name, what, *wargs = args
            lo_hi = ACTIONS.get(what)
            if lo_hi is None:
                err(lineno, f"unknown host action '{what}' (known: {', '.join(ACTIONS)})")
            elif not lo_hi[0] <= len(wargs) <= lo_hi[1]:
                err(lineno, f"{what} takes {lo_hi[0]} to {lo_hi[1]} arguments")
            elif name in scn["actions"]:
                err(lineno, f"action '{name}' given twice")
            else:
                scn["actions"][name] = [what] + wargs
        elif key == "guest":
            if not args:
                err(lineno, "guest needs a test name")
            elif scn["guest"]:
                err(lineno, "guest given twice")
            elif not os.access(os.path.join(top, "selftests/guest/tests", args[0]), os.X_OK):
                err(lineno, f"no guest test '{args[0]}' in selftests/guest/tests/")
            else:
                scn["guest"] = args
        elif key == "timeout":
            if len(args) != 1 or not args[0].isdigit() or int(args[0]) == 0:
                err(lineno, "timeout takes a positive number of seconds")
            else:
                scn["timeout"] = int(args[0])
        elif key in ("expect-panic", "expect-oops"):
            try:
                re.compile(" ".join(args))
            except re.error as e:
                err(lineno, f"{key}: bad regular expression: {e}")
                continue
            if not args:
                err(lineno, f"{key} needs a regular expression")
            else:
                scn[key.replace("-", "_")] = " ".join(args)
        elif key in ("tolerate", "tolerate-leak"):
            if not args:
                err(lineno, f"{key} needs a regular expression")
                continue
            try:
                re.compile(" ".join(args))
            except re.error as e:
                err(lineno, f"{key}: bad regular expression: {e}")
                continue
            scn[key.replace("-", "_")].append(" ".join(args))
        elif key == "trees":
            unknown = [t for t in args
                       if not os.path.isfile(os.path.join(top, "ci/trees", t + ".conf"))]
            if not args or unknown:
                err(lineno, f"trees names trees of ci/trees/ (unknown: {' '.join(unknown)})")
            else:
                scn["trees"] = args
        elif key == "kernel":
            if args not in (["patched"], ["unpatched"]):
                err(lineno, "kernel is 'patched' or 'unpatched'")
            else:
                scn["kernel"] = args[0]
        elif key == "expect":
            ok = len(args) == 5 and args[1] == "<" and args[3] == "*"
            try:
                factor = float(args[2]) if ok else 0
            except ValueError:
                ok = False
            if not ok or factor <= 0:
                err(lineno, "expect takes: METRIC < FACTOR * SCENARIO")
            elif not os.path.isfile(os.path.join(top, "selftests", args[4] + ".scn")):
                err(lineno, f"expect names an unknown scenario '{args[4]}'")
            else:
                scn["expect"].append({"metric": args[0], "factor": factor,
                                      "scenario": args[4]})
        else:
            err(lineno, f"unknown key '{key}'")
    for key in ("machine", "guest"):
        if not scn[key]:
            err(len(lines), f"missing '{key}' line")
    return scn, errors


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scenario.py FILE.scn")
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    scn, errors = parse(sys.argv[1], top)
    if errors:
        for e in errors:
            print(f"scenario.py: error: {e}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(scn))


if __name__ == "__main__":
    main()
