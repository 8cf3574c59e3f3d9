#!/usr/bin/env python3
"""Report of ci/bench-scaling.sh: per kernel and size, the hot-add (kmem bind) and onlining
times the guest measured, their sum per GiB, and the target: with a series, the time per GiB
at the largest size is at most 1.25 times that at 8 GiB. Writes the Markdown report and an SVG
plot (gnuplot) next to it; exits 1 when the target is missed or a series kernel has no figure.
Usage: bench-scaling-report.py --limit S --doc FILE RAW.TSV GIB...
"""
import argparse
import datetime
import os
import subprocess
import sys

TARGET = 1.25
BEGIN = "<!-- ci/bench-scaling.sh -->"
ORDER = ["mainline", "mainline+series", "6.1+series"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, required=True)
    ap.add_argument("--doc", required=True)
    ap.add_argument("raw")
    ap.add_argument("sizes", nargs="+", type=int)
    a = ap.parse_args()
    data = {}
    with open(a.raw, encoding="utf-8") as f:
        for line in f:
            k, key, gib, val = line.rstrip("\n").split("\t")
            data.setdefault((k, int(gib)), {})[key] = float(val)

    def per_gib(k, g):
        d = data.get((k, g), {})
        if d.get("scale_ok") != 1 or "add_ms" not in d or "online_ms" not in d:
            return None
        return (d["add_ms"] + d["online_ms"]) / g

    rows = ["| kernel | GiB | hot-add (ms) | onlining (ms) | ms per GiB | wall (s) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for k in ORDER:
        for g in a.sizes:
            d = data.get((k, g), {})
            p = per_gib(k, g)
            if not d:
                rows.append(f"| {k} | {g} | - | - | not run | - |")
            elif p is None:
                rows.append(f"| {k} | {g} | - | - | did not finish | {d.get('wall_s', 0):.0f} |")
            else:
                rows.append(f"| {k} | {g} | {d['add_ms']:.0f} | {d['online_ms']:.0f} | "
                            f"{p:.1f} | {d.get('wall_s', 0):.0f} |")
    lo, hi = 8, max(a.sizes)
    verdicts, ok = [], True
    for k in ORDER:
        p_lo, p_hi = per_gib(k, lo), per_gib(k, hi)
        series = "series" in k
        if p_lo is None or p_hi is None:
            missing = lo if p_lo is None else hi
            how = "did not finish" if data.get((k, missing)) else "was not run"
            verdicts.append(f"- {k}: no ratio ({missing} GiB {how})")
            ok = ok and not series
            continue
        r = p_hi / p_lo
        met = r <= TARGET
        if series:
            ok = ok and met
        verdicts.append(f"- {k}: time per GiB at {hi} GiB / at {lo} GiB = {r:.2f}"
                        + (f" (target <= {TARGET}: {'met' if met else 'MISSED'})" if series else ""))

    base = os.path.splitext(a.doc)[0]
    dat = base + ".dat"
    with open(dat, "w", encoding="utf-8") as f:
        for k in ORDER:
            f.write(f'"{k}"\n')
            for g in a.sizes:
                p = per_gib(k, g)
                if p is not None:
                    f.write(f"{g} {p:.3f}\n")
            f.write("\n\n")
    svg = base + ".svg"
    plot = (f'set terminal svg size 720,420 dynamic font "sans,12"; set output "{svg}";'
            'set logscale x 2; set xlabel "GiB hot-added (one dax device, 256 MiB of boot memory)";'
            'set ylabel "add + online, ms per GiB (guest clock)"; set key top left; set grid;'
            f'plot for [i=0:{len(ORDER) - 1}] "{dat}" index i using 1:2 with linespoints '
            'title columnheader(1)')
    try:
        subprocess.run(["gnuplot", "-e", plot], check=True)
        os.unlink(dat)
        picture = f"![ms per GiB against GiB hot-added]({os.path.basename(svg)})\n\n"
    except (OSError, subprocess.CalledProcessError):
        picture = ""
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = [
        "# How hot-add scales with its size", "",
        f"Measured {when} by `ci/bench-scaling.sh` (QEMU TCG with `-icount shift=0,sleep=off`:",
        "times are the guest's clock, which counts executed instructions, so the host's load does",
        "not show). One boot per kernel and size: 256 MiB of boot memory on node 0, one dax_hmem",
        "device of that size on node 1, memmap_on_memory on (the device attribute), kmem bind",
        "(hot-add) then every block onlined movable in address order (onlining); then 512 MiB on",
        "the device's node, twice the boot memory, is written and verified. Kernels: the test",
        "variant of each tree (tinyconfig plus kernel-config/, debugging options included).",
        f"A guest gets {a.limit} s per 64 GiB before it counts as not finished.", "",
        *rows, "", picture + f"Target: with a series, time per GiB at {hi} GiB within "
        f"{TARGET}x of the time per GiB at {lo} GiB.", "", *verdicts, ""]
    with open(a.doc, "w", encoding="utf-8") as f:
        f.write("\n".join(text))
    # The same section closes results.md (ci/bench-report.py keeps it there).
    res = os.path.join(os.path.dirname(a.doc), "results.md")
    if os.path.exists(res):
        page = open(res, encoding="utf-8").read()
        if BEGIN in page:
            page = page[:page.index(BEGIN)].rstrip("\n") + "\n"
        section = "\n".join(text).replace("# How hot-add scales with its size", "## How hot-add scales with its size", 1)
        section = section.replace(f"]({os.path.basename(svg)})", f"]({os.path.basename(svg)})")
        with open(res, "w", encoding="utf-8") as f:
            f.write(page + "\n" + BEGIN + "\n" + section)
    sys.stdout.write("\n".join(text))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
