#!/usr/bin/env python3
"""Refreshes a cover letter after the patches changed: writes OUT, the fresh
`git format-patch --cover-letter` output FRESH (its shortlog and diffstat) with the subject
header and the text of OLD, the series' current 0000-cover-letter.patch.
Usage: ci/cover-letter.py FRESH OLD OUT
e.g. git -C build/linux format-patch -q --cover-letter -o /tmp/p base..series &&
     ci/cover-letter.py /tmp/p/0000-cover-letter.patch patches/0000-cover-letter.patch OUT"""
import re, sys
if len(sys.argv) != 4:
    sys.exit(__doc__)
fresh, old, out = sys.argv[1:4]
f = open(fresh).read()
o = open(old).read()
# Subject of OLD (folded header), without the [PATCH ...] prefix.
m = re.search(r"^Subject: \[PATCH[^\]]*\] (.*?)\n(?=\S)", o, re.S | re.M)
subject = re.sub(r"\n\s+", " ", m.group(1)).strip()
# Blurb of OLD: from the blank line after the headers to the shortlog's author line.
body = o.split("\n\n", 1)[1]
blurb = re.split(r"^\S.* \(\d+\):\n", body, flags=re.M)[0].rstrip("\n")
hdr = re.search(r"^Subject: .*?\n(?=\S)", o, re.S | re.M).group(0).rstrip("\n") + "\n"
f = re.sub(r"^Subject: .*\*\*\* SUBJECT HERE \*\*\*\n", lambda _: hdr, f, flags=re.M)
f = f.replace("*** BLURB HERE ***", blurb)
open(out, "w").write(f)
