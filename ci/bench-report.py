#!/usr/bin/env python3
"""Turns ci/bench-run.sh's raw numbers into ci/bench.sh's tables, targets, note and plot.

Usage: bench-report.py [--doc DIR] [--check] [--largest DIR] OUTDIR

Reads OUTDIR/raw.tsv (KERNEL WAY MOM KEY GIB VALUE) and OUTDIR/meta.tsv (KEY VALUE: date,
machine, versions, times). Prints the tables and the targets; writes OUTDIR/results.tsv (one
row per figure), OUTDIR/results.md and OUTDIR/results.svg (gnuplot). With --doc DIR the note
and the plot are also copied to DIR (Documentation/). With --check it exits non-zero, naming
the figure, when a figure is missing or implausible (what the smoke run in ci/test.sh relies
on): every leg measured, the unpatched kernel paying about the memmap (8 to 32 MiB per GiB),
the patched kernel with memmap_on_memory paying under a tenth of that, and its usable
fraction at the physical limit.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict

KERNELS = ("unpatched", "patched", "debian")
KERNEL_NAMES = {"unpatched": "6.1 unpatched", "patched": "6.1 + series",
                "debian": "Debian 6.12 (mainline)"}
WAYS = ("kmem", "dimm")
WAY_NAMES = {"kmem": "kmem (dax_hmem)", "dimm": "ACPI DIMM"}
MOMS = ("off", "on")
# 64-byte struct page per 4 KiB page: the memmap takes 1/64 of memory that carries its own.
LIMIT = 100.0 * (1 - 64 / 4096)


# ci/bench-scaling.sh's section of results.md starts here and runs to the end of the page.
SCALING_BEGIN = "<!-- ci/bench-scaling.sh -->"


def load(out, largest=None):
    raw = defaultdict(list)
    for d in [out] + ([largest] if largest else []):
        with open(os.path.join(d, "raw.tsv"), encoding="utf-8") as f:
            for line in f:
                kernel, way, mom, key, gib, value = line.rstrip("\n").split("\t")
                raw[(kernel, way, mom, key, int(gib))].append(float(value))
    meta = {}
    path = os.path.join(out, "meta.tsv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("\t")
                meta[key] = value
    return raw, meta


class Figures:
    """The figures of a run, computed from the raw numbers."""

    def __init__(self, raw):
        self.raw = raw
        self.kernels = [k for k in KERNELS if any(key[0] == k for key in raw)]
        self.ways = [w for w in WAYS if any(key[1] == w for key in raw)]
        self.moms = [m for m in MOMS if any(key[2] == m for key in raw)]
        self.sizes = sorted({key[4] for key in raw if key[3] == "drop_kib" and key[1] in WAYS})
        self.tgib = max((key[4] for key in raw if key[3] == "add_ms"), default=None)

    def one(self, kernel, way, mom, key, gib):
        values = self.raw.get((kernel, way, mom, key, gib))
        return statistics.median(values) if values else None

    def drop_per_gib(self, kernel, way, mom, gib):
        v = self.one(kernel, way, mom, "drop_kib", gib)
        return None if v is None else v / gib

    def drop_overall(self, kernel, way, mom):
        """KiB per GiB over all sizes together (sum of drops / sum of sizes)."""
        drops = [(self.one(kernel, way, mom, "drop_kib", g), g) for g in self.sizes]
        if not drops or any(d is None for d, _ in drops):
            return None
        return sum(d for d, _ in drops) / sum(g for _, g in drops)

    def usable(self, kernel, way, mom, gib):
        v = self.one(kernel, way, mom, "growth_kib", gib)
        return None if v is None else 100.0 * v / (gib << 20)

    def time(self, kernel, way, mom, key):
        return self.one(kernel, way, mom, key, self.tgib)

    def runs(self, kernel, way, mom):
        return len(self.raw.get((kernel, way, mom, "add_ms", self.tgib), []))

    def ratio(self, kernel, way, mom, key):
        mine, base = self.time(kernel, way, mom, key), self.time("unpatched", way, mom, key)
        return None if mine is None or not base else mine / base

    def small(self, kernel, mom):
        return self.one(kernel, "small", mom, "max_gib", 0)

    def largest(self, kernel):
        """The largest device ci/bench-largest.sh saw KERNEL bind and online, if it ran."""
        return max((key[4] for key, v in self.raw.items() if key[:4] == (
            kernel, "largest", "on", "small_ok") and v and v[0] == 1), default=None)


def fmt(v, spec="{:,.0f}", none="-"):
    return none if v is None else spec.format(v)


def table(head, rows):
    """A markdown table; also readable as text."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def tables(fig):
    parts = []
    rows = []
    for way in fig.ways:
        for k in fig.kernels:
            for mom in fig.moms:
                rows.append([WAY_NAMES[way], KERNEL_NAMES[k], mom]
                            + [fmt(fig.drop_per_gib(k, way, mom, g)) for g in fig.sizes]
                            + [fmt(fig.drop_overall(k, way, mom))])
    parts.append("**1. Boot memory consumed per GiB hot-added** (KiB per GiB: free memory "
                 "before the add minus after it, blocks still offline; the memmap itself is "
                 "16,384 KiB per GiB; `all sizes`: the sum over the sizes divided by their "
                 "sum)\n\n"
                 + table(["way", "kernel", "memmap_on_memory"]
                         + [f"{g} GiB" for g in fig.sizes] + ["all sizes"], rows))
    rows = []
    for way in fig.ways:
        for k in fig.kernels:
            for mom in fig.moms:
                rows.append([WAY_NAMES[way], KERNEL_NAMES[k], mom]
                            + [fmt(fig.usable(k, way, mom, g), "{:.4f}%") for g in fig.sizes])
    parts.append(f"**2. Usable fraction after onlining** (MemTotal growth / size, every block "
                 f"online movable; physical limit with the memmap on the memory: {LIMIT:.4f}%)"
                 "\n\n" + table(["way", "kernel", "memmap_on_memory"]
                                + [f"{g} GiB" for g in fig.sizes], rows))
    if any(key[1] == "small" for key in fig.raw):
        rows = [[KERNEL_NAMES[k]] + [fmt(fig.small(k, m), "{:.0f} GiB") for m in fig.moms]
                for k in fig.kernels]
        top = max((v[0] for key, v in fig.raw.items() if key[3] == "top_gib"), default=64)
        parts.append("**3. Largest dax device that binds to kmem and onlines with 256 MiB of "
                     f"boot memory** (1, 2, 4 ... {top:.0f} GiB; 0: not even 1 GiB)\n\n"
                     + table(["kernel"] + [f"memmap_on_memory {m}" for m in fig.moms], rows))
    if fig.tgib:
        rows = []
        for way in fig.ways:
            for k in fig.kernels:
                for mom in fig.moms:
                    row = [WAY_NAMES[way], KERNEL_NAMES[k], mom, fig.runs(k, way, mom)]
                    for key in ("add_ms", "hotadd_ms", "online_ms", "remove_ms"):
                        row += [fmt(fig.time(k, way, mom, key)),
                                fmt(fig.ratio(k, way, mom, key), "{:.2f}")]
                    rows.append(row)
        parts.append(f"**4. Time for {fig.tgib} GiB** (median over the runs, ms; ratio to the "
                     "unpatched kernel with the same way and setting, same run; add+online "
                     "split into the hot-add (bind, or device_add until every block is there) "
                     "and the onlining; with memmap_on_memory off the series runs 6.1's code, "
                     "so its ratios there show the noise of the run)\n\n"
                     + table(["way", "kernel", "memmap_on_memory", "runs", "add+online ms",
                              "ratio", "hot-add ms", "ratio", "online ms", "ratio",
                              "offline+remove ms", "ratio"], rows))
    return "\n\n".join(parts)


def targets(fig):
    """(description, figures, met) for each target of the series."""
    out = []
    if "patched" not in fig.kernels or "unpatched" not in fig.kernels or "on" not in fig.moms:
        return out
    for way in fig.ways:
        mine = fig.drop_overall("patched", way, "on")
        base = fig.drop_overall("unpatched", way, "on")
        if mine is not None and base:
            out.append((f"{way}: boot memory per GiB at most 5% of the unpatched kernel's",
                        f"{mine:,.0f} vs {base:,.0f} KiB/GiB = {100 * mine / base:.2f}%",
                        mine <= 0.05 * base))
        ref = fig.drop_overall("debian", way, "on")
        if mine is not None and ref is not None:
            out.append((f"{way}: boot memory per GiB no worse than mainline (Debian 6.12)",
                        f"{mine:,.0f} vs {ref:,.0f} KiB/GiB", mine <= ref))
        fr = [fig.usable("patched", way, "on", g) for g in fig.sizes]
        if None not in fr:
            out.append((f"{way}: usable fraction equal to the physical limit {LIMIT:.4f}%",
                        ", ".join(f"{v:.4f}%" for v in fr),
                        all(abs(v - LIMIT) < 1e-9 for v in fr)))
        r = fig.ratio("patched", way, "on", "add_ms")
        if r is not None:
            noise = fig.ratio("patched", way, "off", "add_ms")
            out.append((f"{way}: add+online time within 10% of the unpatched kernel's",
                        f"ratio {r:.2f} (median of {fig.runs('patched', way, 'on')})"
                        + (f"; with memmap_on_memory off, where both run 6.1's code, "
                           f"{noise:.2f}" if noise is not None else ""),
                        r <= 1.10))
    mine, base = fig.small("patched", "on"), fig.small("unpatched", "on")
    top = fig.one("patched", "small", "on", "top_gib", 0) or 64
    beyond = fig.largest("patched")
    if mine is not None and base is not None and beyond and beyond > mine:
        out.append(("256 MiB guest: largest hot-add at least 64x the unpatched kernel's",
                    f"{beyond} GiB (`ci/bench-largest.sh`, beyond the search's {top:.0f} GiB "
                    f"top) vs {base:.0f} GiB" + (f" = {beyond / base:.0f}x" if base else ""),
                    beyond >= 64 * base if base else True))
    elif mine is not None and base is not None:
        out.append(("256 MiB guest: largest hot-add at least 64x the unpatched kernel's",
                    f"{mine:.0f} GiB vs {base:.0f} GiB"
                    + (f" = {'at least ' if mine >= top else ''}{mine / base:.0f}x" if base else "")
                    + (f" ({top:.0f} GiB is the top of the search; beyond it: "
                       "`ci/bench-largest.sh`, Documentation/results-largest.md)"
                       if mine >= top else ""),
                    mine >= 64 * base if base else mine > 0))
    return out


def targets_md(tg):
    return table(["target (patched, memmap_on_memory on)", "figures", "met"],
                 [[d, f, "yes" if ok else "**no**"] for d, f, ok in tg])


def checks(fig, smoke_kernels):
    """Problems that make a run's figures unusable: missing or implausible."""
    bad = []
    for k in smoke_kernels:
        for way in fig.ways:
            for mom in fig.moms:
                for g in fig.sizes:
                    for key in ("drop_kib", "growth_kib"):
                        if fig.one(k, way, mom, key, g) is None:
                            bad.append(f"{k} {way} memmap_on_memory={mom}: no {key} for {g} GiB")
                if fig.tgib and fig.runs(k, way, mom) == 0:
                    bad.append(f"{k} {way} memmap_on_memory={mom}: no timed run")
    for way in fig.ways:
        for mom in fig.moms:
            base = fig.drop_overall("unpatched", way, mom)
            if base is not None and not 8192 <= base <= 32768:
                bad.append(f"unpatched {way} memmap_on_memory={mom}: {base:.0f} KiB per GiB, "
                           "not about the memmap (16,384)")
        mine = fig.drop_overall("patched", way, "on")
        base = fig.drop_overall("unpatched", way, "on")
        if mine is not None and base and mine >= 0.1 * base:
            bad.append(f"patched {way} memmap_on_memory=on: {mine:.0f} KiB per GiB, "
                       f"not under a tenth of the unpatched kernel's {base:.0f}")
        for g in fig.sizes:
            v = fig.usable("patched", way, "on", g)
            if v is not None and abs(v - LIMIT) > 1e-9:
                bad.append(f"patched {way} memmap_on_memory=on: usable {v:.4f}% at {g} GiB, "
                           f"not {LIMIT:.4f}%")
    return bad


def results_tsv(fig, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("kernel\tway\tmemmap_on_memory\tfigure\tgib\tvalue\n")
        for k in fig.kernels:
            for mom in fig.moms:
                for way in fig.ways:
                    for g in fig.sizes:
                        for name, v in (("kib_per_gib", fig.drop_per_gib(k, way, mom, g)),
                                        ("usable_pct", fig.usable(k, way, mom, g))):
                            if v is not None:
                                f.write(f"{k}\t{way}\t{mom}\t{name}\t{g}\t{v:.4f}\n")
                    for key in ("add_ms", "remove_ms"):
                        v, r = fig.time(k, way, mom, key), fig.ratio(k, way, mom, key)
                        if v is not None:
                            f.write(f"{k}\t{way}\t{mom}\t{key}_median\t{fig.tgib}\t{v:.1f}\n")
                        if r is not None:
                            f.write(f"{k}\t{way}\t{mom}\t{key}_ratio\t{fig.tgib}\t{r:.4f}\n")
                s = fig.small(k, mom)
                if s is not None:
                    f.write(f"{k}\tsmall\t{mom}\tmax_gib\t0\t{s:.0f}\n")


def plot(fig, out):
    """results.svg: boot memory consumed against GiB hot-added, one log-log panel per way."""
    data = os.path.join(out, "plot.dat")
    index = {}
    with open(data, "w", encoding="utf-8") as f:
        for way in fig.ways:
            for k in fig.kernels:
                for mom in fig.moms:
                    pts = [(g, fig.one(k, way, mom, "drop_kib", g)) for g in fig.sizes]
                    if any(v is None for _, v in pts):
                        continue
                    f.write(f"# {k} {way} {mom}\n")
                    for g, v in pts:
                        # A log axis: what is below 10 KiB is drawn at 10 KiB.
                        f.write(f"{g} {max(v, 10) / 1024:.4f}\n")
                    f.write("\n\n")
                    index[(k, way, mom)] = len(index)
    if not index:
        return False
    colors = {"unpatched": "#d62728", "patched": "#1f77b4", "debian": "#2ca02c"}

    def plots(way):
        cmds = ["x * 16 with lines dt 3 lw 1 lc rgb '#777777' title 'the memmap: 16 MiB per GiB'"]
        for (k, w, mom), i in index.items():
            if w != way:
                continue
            style = "dt 1 pt 7" if mom == "on" else "dt 2 pt 6"
            cmds.append(f"'{data}' index {i} with linespoints {style} ps 1.2 lw 2 "
                        f"lc rgb '{colors[k]}' title '{KERNEL_NAMES[k]}, "
                        f"memmap\\_on\\_memory {mom}'")
        return ", \\\n  ".join(cmds)
    top = max(fig.sizes)
    panels = "\n".join(f"set title '{WAY_NAMES[w]}'\nplot {plots(w)}" for w in fig.ways)
    panels = panels.replace("dax_hmem", "dax\\_hmem")
    title = "Boot memory consumed by a hot-add (blocks offline), QEMU TCG"
    width = 560 * len(fig.ways)
    script = f"""set terminal svg size {width},560 dynamic font 'sans,11' background '#ffffff'
set output '{os.path.join(out, "results.svg")}'
set multiplot layout 1,{len(fig.ways)} title '{title}'
set xlabel 'GiB hot-added'
set ylabel 'MiB of boot memory consumed (log)'
set logscale xy
set xrange [0.8:{top * 1.25}]
set yrange [0.008:{top * 16 * 4}]
set format y '%g'
set xtics ({", ".join(str(g) for g in fig.sizes)})
set grid
set key below font ',9' maxrows 4
{panels}
unset multiplot
"""
    with open(os.path.join(out, "plot.gp"), "w", encoding="utf-8") as f:
        f.write(script)
    subprocess.run(["gnuplot", os.path.join(out, "plot.gp")], check=True)
    return True


def note(fig, meta, tg, has_plot):
    smoke = " --smoke" if meta.get("mode") == "smoke" else ""
    lines = ["# Bench results", "",
             f"Measured {meta.get('date', '?')} by `ci/bench.sh{smoke}` "
             f"(wall time {meta.get('wall', '?')}), under QEMU {meta.get('qemu', '?')} with TCG on "
             f"{meta.get('machine', '?')}.", "",
             "Kernels (no debugging options in any of them; the same QEMU machines for all):", ""]
    for k in fig.kernels:
        lines.append(f"- {KERNEL_NAMES[k]}: {meta.get('kernel.' + k, '?')}")
    lines += ["", "How each figure is taken (`ci/bench-run.sh` boots the guests, "
              "`selftests/guest/tests/bench-*.sh` measure inside them):", "",
              "- kmem: 1 GiB of boot memory on node 0; one dax_hmem device (soft-reserved "
              "memory on node 1) of each size, never bound to device_dax (it would take a "
              "memmap of its own: `initcall_blacklist=dax_init` on 6.1, module not loaded on "
              "6.12). Each device in turn: its memmap_on_memory attribute set (6.1 has none), "
              "bound to kmem, free memory read with the blocks offline "
              "(`memhp_default_state=offline`); nothing is removed between two readings. Then "
              "each device's blocks onlined movable and MemTotal's growth read.",
              "- Free memory: MemFree plus the pages on the per-CPU free lists (zoneinfo), "
              "after `vm.stat_refresh` folded the per-CPU counters; exact to the page.",
              "- ACPI DIMM: the same with a DIMM of each size hot-added over QMP (removed "
              "with device_del at the end). In the timed cycles the host keeps the DIMM's "
              "memory between two cycles (device_del without object-del), as a physical DIMM "
              "keeps its: otherwise every cycle would time QEMU allocating fresh host memory "
              "for what the guest touches first, the memmap when it lives on the DIMM.",
              "- memmap_on_memory on: `memory_hotplug.memmap_on_memory=1` (and the attribute "
              "1); off: the parameter 0.",
              "- 256 MiB guest: one fresh boot per size, 64 GiB first, then a binary search "
              "below it; a size counts when kmem binds, every block is added and onlined and the "
              "guest still runs programs (a guest that dies of OOM does not count).",
              "- Times: the guest's monotonic clock (`/proc/timer_list`) around bind (or "
              "device_add) + onlining every block, and offlining + unbind (or device_del); the "
              "runs of two boots, the second pass with the kernels in reverse order so that a "
              "drift in the host's load weighs on all alike. Under TCG the kmem and DIMM machines "
              "run with `-icount shift=0,sleep=off`: the guest's clock counts executed "
              "instructions (1 ns each), so the times measure the kernels' work and not the "
              "host's load (without icount, on this shared host, the same code differed by "
              "up to 12% between two kernels in one run); idle waits for QMP are skipped.", "",
              tables(fig), ""]
    if tg:
        lines += ["## Targets", "", targets_md(tg), ""]
    if has_plot:
        lines += ["## Plot", "", "![boot memory consumed against GiB hot-added](results.svg)", "",
                  "With memmap_on_memory off (and on the unpatched kernel either way) the three "
                  "kernels' lines lie on top of each other, along the memmap's own size.", ""]
    if meta.get("stages"):
        lines += [f"Stage times: {meta['stages']}.", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--doc", help="also write results.md and results.svg here")
    ap.add_argument("--check", action="store_true", help="fail on missing or implausible figures")
    ap.add_argument("--largest", help="also read ci/bench-largest.sh's raw.tsv in this directory")
    ap.add_argument("out")
    args = ap.parse_args()

    raw, meta = load(args.out, args.largest)
    fig = Figures(raw)
    tg = targets(fig)
    print(tables(fig))
    if tg:
        print("\n" + targets_md(tg))
    results_tsv(fig, os.path.join(args.out, "results.tsv"))
    has_plot = shutil.which("gnuplot") is not None and plot(fig, args.out)
    with open(os.path.join(args.out, "results.md"), "w", encoding="utf-8") as f:
        f.write(note(fig, meta, tg, has_plot))
    if args.doc:
        # Keep the section ci/bench-scaling.sh writes into the same page.
        doc = os.path.join(args.doc, "results.md")
        keep = ""
        if os.path.exists(doc):
            old = open(doc, encoding="utf-8").read()
            if SCALING_BEGIN in old:
                keep = old[old.index(SCALING_BEGIN):]
        shutil.copy(os.path.join(args.out, "results.md"), doc)
        if keep:
            with open(doc, "a", encoding="utf-8") as f:
                f.write("\n" + keep)
        if has_plot:
            shutil.copy(os.path.join(args.out, "results.svg"),
                        os.path.join(args.doc, "results.svg"))
    if args.check:
        bad = checks(fig, [k for k in ("unpatched", "patched") if k in fig.kernels])
        if not has_plot:
            bad.append("no plot (gnuplot missing or no data)")
        if len(fig.kernels) < 2:
            bad.append(f"kernels measured: {fig.kernels}, want unpatched and patched at least")
        for b in bad:
            print(f"bench-report.py: error: {b}", file=sys.stderr)
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
