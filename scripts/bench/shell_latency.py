#!/usr/bin/env python3
"""Per-command latency of `anno shell`, measured from outside (standard library only).

Usage:
  python3 scripts/bench/shell_latency.py --anno .build/release/anno --db DB --targets shell.tsv \
      [--n 200] [--commands next,open,show,tag,undo,find] [--method both|pipe|script]

DB is a copy of an imported database (it gets written: tags and undos, by annotator 'bench',
who has finished nothing, so 'next' always has somewhere to go). shell.tsv comes from
scripts/bench/gen_corpus.py: <id> TAB <an entity's text> TAB <a word>.

Two methods, both printed as one JSON object {command: {...}}:
  script  `anno shell --script FILE` with N repetitions of the command, minus the run of the
          same script without it (an empty script for next/show/find/open; the 'open ID' lines
          alone for tag; the tags alone for undo), divided by N: the mean, in ms.
  pipe    one long-lived `anno shell` reading commands from a pipe (it reads a pipe live). Each
          command is written followed by an unknown command 'zzmark', whose error on standard
          error marks the end; the latency is that round trip minus the median round trip of
          'zzmark' alone. Gives a distribution: median and p99, in ms. The durable save of
          each 'tag' (its write transaction, commit and fsync; WAL, synchronous=FULL) is also
          read from the shell's own ANNO_TIMINGS lines, as "save"; the 'tag' round trip is
          that save seen from outside, with pipe and scheduling noise, an upper bound.
"""

import argparse
import json
import os
import random
import select
import statistics
import subprocess
import tempfile
import time
import zlib

MARK = "zzmark"


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def load_targets(path, limit, seed):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            doc_id, entity, word = line.rstrip("\n").split("\t")
            rows.append((doc_id, entity, word))
    rng = random.Random(seed)
    rng.shuffle(rows)
    return rows[:limit]


def command_lines(name, targets):
    """(setup lines, timed lines) pairs for one command."""
    pairs = []
    for doc_id, entity, word in targets:
        if name == "next":
            pairs.append(([], "next"))
        elif name == "show":
            pairs.append(([], "show"))
        elif name == "open":
            pairs.append(([], "open " + doc_id))
        elif name == "find":
            pairs.append(([], "find " + word))
        elif name == "tag":
            pairs.append((["open " + doc_id], 'tag PER "%s"' % entity))
        elif name == "undo":
            pairs.append(([], "undo"))
    return pairs


class PipeShell:
    def __init__(self, argv, env):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, env=env, bufsize=0)
        self.buffer = b""
        self.failures = 0
        self.round_trip(MARK)  # wait until it is up

    def round_trip(self, line):
        """Writes line and the marker; returns seconds until the marker's error arrives."""
        data = (line + "\n" if line != MARK else "") + MARK + "\n"
        started = time.perf_counter()
        os.write(self.process.stdin.fileno(), data.encode("utf-8"))
        fd = self.process.stderr.fileno()
        while True:
            newline = self.buffer.find(b"\n")
            while newline >= 0:
                line_bytes, self.buffer = self.buffer[:newline], self.buffer[newline + 1:]
                if b"'" + MARK.encode() + b"'" in line_bytes:
                    return time.perf_counter() - started
                self.failures += 1
                newline = self.buffer.find(b"\n")
            select.select([fd], [], [], 30)
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError("anno shell exited early")
            self.buffer += chunk

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def run_pipe(args, names, env):
    argv = [args.anno, "--db", args.db, "--annotator", "bench", "shell", "--color", "never"]
    timings = tempfile.NamedTemporaryFile("r", suffix=".timings", delete=False)
    env = dict(env, ANNO_TIMINGS=timings.name)
    shell = PipeShell(argv, env)
    baseline = [shell.round_trip(MARK) for _ in range(max(50, args.n))]
    base = statistics.median(baseline)
    result = {"marker_round_trip_ms": base * 1000}
    for name in names:
        pairs = command_lines(name, load_targets(args.targets, args.n, zlib.crc32(name.encode())))
        failures_before = shell.failures
        samples = []
        for setup, line in pairs:
            for s in setup:
                shell.round_trip(s)
            samples.append(max(0.0, shell.round_trip(line) - base) * 1000)
        result[name] = {"n": len(samples), "median_ms": statistics.median(samples),
                        "p99_ms": percentile(samples, 99), "mean_ms": statistics.fmean(samples),
                        "failures": shell.failures - failures_before}
    shell.close()
    # The durable save itself, as the shell timed it (ANNO_TIMINGS: word, total us, save us).
    saves = []
    for line in timings:
        fields = line.rstrip("\n").split("\t")
        if len(fields) == 3 and fields[0] == "tag" and fields[2] != "-":
            saves.append(float(fields[2]) / 1000)
    timings.close()
    os.unlink(timings.name)
    if saves:
        result["save"] = {"n": len(saves), "median_ms": statistics.median(saves), "p99_ms": percentile(saves, 99),
                          "max_ms": max(saves)}
    return result


def time_script(args, lines, env, repeats=3):
    """Median seconds of `anno shell --script` over the lines (fresh copy of nothing: same DB)."""
    with tempfile.NamedTemporaryFile("w", suffix=".anno", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
        path = handle.name
    times = []
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run([args.anno, "--db", args.db, "--annotator", "bench", "shell", "--color", "never",
                            "--script", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            times.append(time.perf_counter() - started)
    finally:
        os.unlink(path)
    return statistics.median(times)


def run_script(args, names, env):
    result = {}
    empty = time_script(args, ["# empty"], env)
    result["empty_script_ms"] = empty * 1000
    for name in names:
        pairs = command_lines(name, load_targets(args.targets, args.n, zlib.crc32(name.encode())))
        setup = [s for setup, _ in pairs for s in setup]
        if name == "tag":
            # open+tag, then undo them all so that the repeats tag again.
            tags = [l for setup, line in pairs for l in setup + [line]]
            undo = ["undo"] * len(pairs)
            with_cmd = time_script(args, tags + undo, env)
            without = time_script(args, setup + undo, env)  # undo of nothing fails fast
        elif name == "undo":
            tag_pairs = command_lines("tag", load_targets(args.targets, args.n, 7))
            tags = [l for setup, line in tag_pairs for l in setup + [line]]
            with_cmd = time_script(args, tags + ["undo"] * len(pairs), env, repeats=1)
            without = time_script(args, tags, env, repeats=1)
            time_script(args, ["undo"] * len(pairs), env, repeats=1)  # leave no tags behind
        else:
            with_cmd = time_script(args, [line for _, line in pairs], env)
            without = empty
        result[name] = {"n": len(pairs), "mean_ms": max(0.0, with_cmd - without) / len(pairs) * 1000}
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--anno", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--commands", default="next,open,show,tag,undo,find")
    parser.add_argument("--method", default="both", choices=["both", "pipe", "script"])
    args = parser.parse_args()
    names = args.commands.split(",")
    env = dict(os.environ, NO_COLOR="1")
    out = {}
    if args.method in ("both", "script"):
        out["script"] = run_script(args, names, env)
    if args.method in ("both", "pipe"):
        out["pipe"] = run_pipe(args, names, env)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
