#!/usr/bin/env python3
"""The scaling table: time per document and peak memory across the sizes benchmarked so far.

Usage: python3 scripts/bench/scaling.py   (reads bench-out/*/results.json; bench.sh runs it)

For each size that has results: import and export time per document (anno, and the sqlite3
shell for reference), the shell's 'next' latency, opening the shell, and anno's peak RSS in
import and export. Flat columns across 10k, 100k and 1m are the goal.
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORDER = ["10k", "100k", "1m"]


def find(results, name):
    return next((m for m in results["measurements"] if m.get("measurement") == name and "blocked" not in m), None)


def main():
    rows = []
    for size in ORDER:
        path = os.path.join(ROOT, "bench-out", size, "results.json")
        if not os.path.exists(path):
            continue
        results = json.load(open(path))
        docs = results["documents"]
        cells = [size]
        for name in ("import", "export"):
            m = find(results, name)
            if m:
                peer = m["peers"][0] if m["peers"] else None
                cells.append("%.0f us" % (m["anno"]["median"] / docs * 1e6))
                cells.append("%.0f us" % (peer["median"] / docs * 1e6) if peer else "-")
                rss = m["anno"].get("peak_rss_kb")
                cells.append("%.0f MB" % (rss / 1024) if rss else "?")
            else:
                cells += ["-", "-", "-"]
        m = find(results, "interactive")
        commands = (m or {}).get("commands", {})
        nxt = commands.get("pipe", {}).get("next", {}).get("median_ms")
        cells.append("%.2f ms" % nxt if nxt is not None else "-")
        opened = (m or {}).get("shell_open", {}).get("median")
        cells.append("%.0f ms" % (opened * 1000) if opened is not None else "-")
        rows.append(cells)
    if not rows:
        return
    headers = ["size", "import/doc", "sqlite3/doc", "import RSS", "export/doc", "sqlite3/doc", "export RSS",
               "next", "shell open"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("\nscaling (medians; flat per-document times and memory are the goal):")
    for cells in [headers] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())


if __name__ == "__main__":
    main()
