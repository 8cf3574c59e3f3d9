#!/usr/bin/env python3
"""Grades one scenario run: its KTAP results, the driver's status and the guest's console.

Usage: grade.py SCENARIO_JSON OUTDIR (reads OUTDIR/NAME.{ktap,console,status}).

PASS needs: the driver saw the test end; a plan `1..N` and exactly N top-level results, none
`not ok` and none skipped; no kernel report (WARNING, BUG, Oops, lockdep, KASAN, kmemleak,
hung task, panic) in the console log. Prints one line and appends a row to the results TSV:
name, verdict, passed, failed, skipped, planned, seconds, reason.
"""
import json
import re
import sys

REPORT = re.compile(
    r"(WARNING:|BUG:|INFO: task .* blocked|Oops|Kernel panic|general protection fault|"
    r"possible circular locking|inconsistent lock state|KASAN:|UBSAN:|"
    r"unreferenced object 0x|suspected memory leaks|kernel BUG at)")
PLAN = re.compile(r"^1\.\.(\d+)")
RESULT = re.compile(r"^(not ok|ok) (\d+)\b(.*)$")
METRIC = re.compile(r"^# metric (\S+) (-?\d+(?:\.\d+)?)")


def metric(ktap_path, name):
    """The median of a metric's values in a KTAP file, or None."""
    values = []
    try:
        with open(ktap_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = METRIC.match(line)
                if m and m.group(1) == name:
                    values.append(float(m.group(2)))
    except OSError:
        return None
    if not values:
        return None
    values.sort()
    return values[len(values) // 2]


def expected_panic(console_path, regex):
    """PASS when the console shows the death the scenario expects."""
    try:
        with open(console_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if re.search(regex, line):
                    return "PASS", "as expected: " + line.strip()
    except OSError:
        pass
    return "FAIL", f"expected the guest to die with /{regex}/; it did not"


def check_expects(scn, out):
    reasons, notes = [], []
    for e in scn["expect"]:
        mine = metric(f"{out}/{scn['name']}.ktap", e["metric"])
        theirs = metric(f"{out}/{e['scenario']}.ktap", e["metric"])
        if mine is None or theirs is None:
            reasons.append(f"expect {e['metric']}: no value (here {mine}, {e['scenario']} {theirs})")
            continue
        note = (f"{e['metric']} {mine:g} vs {theirs:g} in {e['scenario']} "
                f"(limit {e['factor']:g}x)")
        (notes if mine < e["factor"] * theirs else reasons).append(note)
    return reasons, notes


def kernel_reports(console_path, tolerate=(), tolerate_leak=()):
    """Report lines of the console log. A kmemleak object report (`unreferenced object` and
    its indented lines) with a backtrace frame matching one of tolerate_leak is left out, and
    so is kmemleak's summary line when every object report was left out."""
    try:
        with open(console_path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    reports, summaries, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if "unreferenced object 0x" in line and tolerate_leak:
            block = [line]
            while i < len(lines) and lines[i].startswith(" "):
                block.append(lines[i])
                i += 1
            if not any(re.search(t, b) for b in block[1:] for t in tolerate_leak):
                reports.append(line.strip())
        elif "suspected memory leaks" in line and tolerate_leak:
            summaries.append(line.strip())
        elif REPORT.search(line) and not any(re.search(t, line) for t in tolerate):
            reports.append(line.strip())
    if reports and summaries:
        reports += summaries
    return reports


def grade(ktap_path, console_path, status, tolerate=(), tolerate_leak=()):
    passed = failed = skipped = 0
    planned = None
    failures = []
    try:
        with open(ktap_path, encoding="utf-8", errors="replace") as f:
            ktap = f.read().splitlines()
    except OSError:
        ktap = []
    for line in ktap:
        m = PLAN.match(line)
        if m and planned is None:
            planned = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        if m.group(1) == "not ok":
            failed += 1
            failures.append(f"not ok {m.group(2)}{m.group(3)}")
        elif re.search(r"#\s*SKIP", m.group(3), re.I):
            skipped += 1
        else:
            passed += 1

    reports = kernel_reports(console_path, tolerate, tolerate_leak)

    reasons = []
    if status.get("error"):
        reasons.append(status["error"])
    elif status.get("rc") not in (0, None):
        reasons.append(f"guest test exited with status {status['rc']}")
    if planned is None:
        reasons.append("no KTAP plan")
    elif passed + failed + skipped != planned:
        reasons.append(f"{passed + failed + skipped} results for a plan of {planned}")
    reasons += failures[:3]
    if reports:
        reasons.append(f"{len(reports)} kernel report line(s), first: {reports[0]}")
    if reasons:
        verdict = "FAIL"
    elif skipped:
        verdict = "SKIP"
        reasons.append(f"{skipped} test(s) skipped")
    else:
        verdict = "PASS"
    return verdict, passed, failed, skipped, planned or 0, "; ".join(reasons)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: grade.py SCENARIO_JSON OUTDIR")
    with open(sys.argv[1], encoding="utf-8") as f:
        scn = json.load(f)
    out = sys.argv[2]
    base = f"{out}/{scn['name']}"
    try:
        with open(base + ".status", encoding="utf-8") as f:
            status = json.load(f)
    except (OSError, ValueError):
        status = {"error": "no status from the driver"}
    verdict, p, f, s, n, why = grade(base + ".ktap", base + ".console", status,
                                      scn.get("tolerate", []), scn.get("tolerate_leak", []))
    if scn.get("expect_oops"):
        # The guest must die of the bug; surviving it means the test no longer shows it.
        verdict, why = expected_panic(base + ".console", scn["expect_oops"])
        bad, notes = [], []
    elif scn.get("expect_panic") and verdict != "PASS":
        # The guest may die of the problem, or its test shows the failure and passes.
        verdict, why = expected_panic(base + ".console", scn["expect_panic"])
        bad, notes = [], []
    else:
        bad, notes = check_expects(scn, out)
    if bad:
        verdict = "FAIL"
        why = "; ".join([why] + bad if why else bad)
    elif notes and verdict == "PASS":
        why = "; ".join(notes)
    secs = status.get("total_s") or 0
    with open(f"{out}/results.tsv", "a", encoding="utf-8") as tsv:
        tsv.write("\t".join([scn["name"], verdict, str(p), str(f), str(s), str(n), str(secs),
                             why.replace("\t", " ")]) + "\n")
    print(f"{verdict} {scn['name']}: {p}/{n} passed, {f} failed, {s} skipped, {secs} s"
          + (f" ({why})" if why else ""))
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
