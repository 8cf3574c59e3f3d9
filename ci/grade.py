#!/usr/bin/env python3
"""Grades one scenario run: its KTAP results, the driver's status and the guest's console.

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


def grade(ktap_path, console_path, status):
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

    reports = []
    try:
        with open(console_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if REPORT.search(line):
                    reports.append(line.strip())
    except OSError:
        pass

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
    if len(sys.argv) != 6:
        sys.exit("usage: grade.py NAME KTAP CONSOLE STATUS_JSON RESULTS_TSV")
    name, ktap, console, status_path, tsv = sys.argv[1:]
    try:
        with open(status_path, encoding="utf-8") as f:
            status = json.load(f)
    except (OSError, ValueError):
        status = {"error": "no status from the driver"}
    verdict, p, f, s, n, why = grade(ktap, console, status)
    secs = status.get("total_s") or 0
    with open(tsv, "a", encoding="utf-8") as out:
        out.write("\t".join([name, verdict, str(p), str(f), str(s), str(n), str(secs),
                             why.replace("\t", " ")]) + "\n")
    print(f"{verdict} {name}: {p}/{n} passed, {f} failed, {s} skipped, {secs} s"
          + (f" ({why})" if why else ""))
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
