#!/usr/bin/env python3
"""Anno's benchmark suite: measurements against their peers, medians, paired ratios.

Run it through scripts/bench.sh, which builds anno and installs the peers:
  scripts/bench.sh [--size 10k|100k|1m] [--runs N] [--only import,export,agreement,tokenizer,interactive]
Directly (with the venv that has spaCy, krippendorff, statsmodels, scikit-learn):
  .venv-interop/bin/python scripts/bench/run.py --anno .build/release/anno --size 10k [--runs 5] [--only ...]

Each measurement runs --runs times, alternating with its peers (A B C A B C ...) on the same
data; the table shows medians and the ratio anno / peer of the medians (below 1: anno is
faster); "cpu ratio" is the same with user+system CPU seconds (from /usr/bin/time), steadier
than wall time on a shared machine (targets are judged on wall time). Everything lands in bench-out/<size>/: the corpus (reused while its meta.json matches
the size, the seed and the generator's version), the databases, and results.json (machine, date,
size, every sample, medians, ratios, peak RSS). Peak RSS comes from /usr/bin/time -f %M.
A measurement that cannot run (a missing Anno entry point, a failing command) is reported as
blocked, with the reason, and the others go on.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
MEASUREMENTS = ["import", "export", "agreement", "tokenizer", "interactive"]
TIME = "/usr/bin/time"


# ---------------------------------------------------------------------------- running things

class Failed(Exception):
    """A command exited non-zero; carries the tail of its standard error."""


def run(argv, stdin=None, stdout=None, cwd=ROOT, env=None, check=True):
    """Runs argv under /usr/bin/time; returns (wall seconds, peak RSS in KiB, stderr, CPU seconds)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rss_file, \
            tempfile.TemporaryFile("w+b") as err:
        full = [TIME, "-f", "%U %S %M", "-o", rss_file.name] + argv if os.path.exists(TIME) else argv
        stdin_handle = open(stdin, "rb") if stdin else subprocess.DEVNULL
        stdout_handle = open(stdout, "wb") if stdout else subprocess.DEVNULL
        try:
            started = time.perf_counter()
            code = subprocess.call(full, stdin=stdin_handle, stdout=stdout_handle, stderr=err, cwd=cwd, env=env)
            seconds = time.perf_counter() - started
        finally:
            if stdin:
                stdin_handle.close()
            if stdout:
                stdout_handle.close()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        rss = cpu = None
        try:
            lines = [l for l in open(rss_file.name).read().split("\n") if l.strip()]
            user, system, peak = lines[-1].split()
            rss, cpu = int(peak), float(user) + float(system)
        except (ValueError, IndexError, OSError):
            pass
        if check and code != 0:
            tail = "\n".join(l for l in stderr.strip().split("\n")[-6:] if not l.startswith("Command exited"))
            raise Failed("%s exited %d: %s" % (os.path.basename(argv[0]), code, tail.strip()))
        return seconds, rss, stderr, cpu


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def remove_file(path):
    if os.path.exists(path):
        os.remove(path)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Series:
    """Samples of one side of a measurement."""

    def __init__(self, name):
        self.name = name
        self.samples = []
        self.rss = []
        self.cpu = []
        self.extra = {}

    def add(self, seconds, rss=None, cpu=None):
        self.samples.append(seconds)
        if rss is not None:
            self.rss.append(rss)
        if cpu is not None:
            self.cpu.append(cpu)

    @property
    def median(self):
        return median(self.samples)

    @property
    def cpu_median(self):
        return median(self.cpu)

    @property
    def peak_rss_kb(self):
        return max(self.rss) if self.rss else None

    def to_json(self):
        return {"name": self.name, "samples": self.samples, "median": self.median, "cpu_samples": self.cpu,
                "cpu_median": self.cpu_median, "peak_rss_kb": self.peak_rss_kb, **self.extra}


def alternate(runs, sides):
    """Runs each side's function once per round, in order: A B C A B C ... Returns the Series.

    Each run starts after a sync: a program that writes a gigabyte leaves it to the kernel to
    write back, which on two cores slowed whichever program ran next (by up to 2x)."""
    series = [Series(name) for name, _ in sides]
    for _ in range(runs):
        for s, (_, function) in zip(series, sides):
            os.sync()
            s.add(*function())
    return series


# ---------------------------------------------------------------------------- the results table

class Report:
    def __init__(self):
        self.rows = []      # for the table
        self.results = []   # for results.json

    def row(self, measurement, anno, peer_name="", peer=None, ratio=None, target="", ok=None, unit="s", cpu=None):
        self.rows.append((measurement, fmt(anno, unit), peer_name, fmt(peer, unit),
                          "" if ratio is None else "%.2fx" % ratio, "" if cpu is None else "%.2fx" % cpu, target,
                          "" if ok is None else ("yes" if ok else "NO")))

    def compare(self, measurement, anno, peer, target="", limit=None):
        """A row anno vs peer (two Series): wall medians, wall and CPU ratios, target on wall."""
        r = ratio(anno.median, peer.median)
        self.row(measurement, anno.median, peer.name, peer.median, r, target,
                 None if limit is None or r is None else r <= limit, cpu=ratio(anno.cpu_median, peer.cpu_median))

    def blocked(self, measurement, reason, target=""):
        self.rows.append((measurement, "blocked", "", "", "", "", target, "n/a"))
        self.results.append({"measurement": measurement, "blocked": reason})

    def print(self, out=sys.stdout):
        headers = ("measurement", "anno", "peer", "peer time", "ratio", "cpu ratio", "target", "ok")
        widths = [max(len(h), *(len(r[i]) for r in self.rows)) for i, h in enumerate(headers)] if self.rows else []
        line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
        print(line(headers), file=out)
        for r in self.rows:
            print(line(r), file=out)


def fmt(value, unit="s"):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if unit == "s":
        if value < 1:
            return "%.1f ms" % (value * 1000)
        return "%.2f s" % value
    if unit == "ms":
        return "%.2f ms" % value
    if unit == "MB":
        return "%.1f MB" % value
    if unit == "docs/s":
        return "{:,.0f} docs/s".format(value)
    return "%s %s" % (value, unit)


def ratio(a, b):
    return a / b if a is not None and b else None


# ---------------------------------------------------------------------------- the suite

class Suite:
    def __init__(self, args):
        self.args = args
        self.size = args.size
        self.docs = SIZES[args.size]
        self.out = os.path.join(ROOT, "bench-out", args.size)
        os.makedirs(self.out, exist_ok=True)
        self.anno = os.path.abspath(args.anno)
        self.python = sys.executable
        self.report = Report()
        self.corpus = os.path.join(self.out, "corpus.jsonl")
        self.anno_db = os.path.join(self.out, "anno.sqlite")
        self.peer_db = os.path.join(self.out, "peer.sqlite")
        self.units = args.rating_units or 1_000_000
        self.env = dict(os.environ, NO_COLOR="1")

    def say(self, message):
        print("bench: " + message, file=sys.stderr, flush=True)

    # -- data

    def ensure_corpus(self):
        meta_path = os.path.join(self.out, "meta.json")
        generator = os.path.join(HERE, "gen_corpus.py")
        version = int(open(generator).read().split("VERSION = ", 1)[1].split("\n", 1)[0])
        try:
            meta = json.load(open(meta_path))
        except (OSError, ValueError):
            meta = {}
        if meta.get("docs") != self.docs or meta.get("seed") != self.args.seed or meta.get("generator_version") != version:
            self.say("generating %s documents (seed %d) into %s" % ("{:,}".format(self.docs), self.args.seed, self.out))
            started = time.perf_counter()
            subprocess.check_call([sys.executable, generator, "--docs", str(self.docs), "--seed", str(self.args.seed),
                                   "--out", self.out], stdout=subprocess.DEVNULL)
            self.say("generated in %.1f s" % (time.perf_counter() - started))
            meta = json.load(open(meta_path))
            for stale in (self.anno_db, self.peer_db):
                remove_db(stale)
        self.meta = meta
        self.say("corpus: {:,} documents, {:,} records, {:,} annotation rows, {:.0f} MB".format(
            meta["documents"], meta["records"], meta["annotation_rows"], meta["corpus_bytes"] / 1e6))

    def ensure_ratings(self):
        path = os.path.join(self.out, "ratings.csv")
        try:
            meta = json.load(open(os.path.join(self.out, "ratings.meta.json")))
        except (OSError, ValueError):
            meta = {}
        if meta.get("units") != self.units or meta.get("seed") != self.args.seed:
            self.say("generating {:,} rating units".format(self.units))
            subprocess.check_call([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--ratings", str(self.units),
                                   "--seed", str(self.args.seed), "--out", self.out], stdout=subprocess.DEVNULL)
        return path

    def sql_script(self, template, **values):
        text = open(os.path.join(HERE, template)).read()
        for key, value in values.items():
            text = text.replace("@%s@" % key, value)
        path = os.path.join(self.out, template.replace(".sql", ".run.sql"))
        with open(path, "w") as handle:
            handle.write(text)
        return path

    def insert_floor(self):
        binary = os.path.join(self.out, "insert_floor")
        source = os.path.join(HERE, "insert_floor.c")
        if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
            subprocess.check_call(["gcc", "-O2", "-o", binary, source, "-lsqlite3"])
        return binary

    def anno_has(self, subcommand):
        """The help text of `anno SUBCOMMAND --help`, or None when `anno --help` lists no such command."""
        listing = subprocess.run([self.anno, "--help"], capture_output=True, text=True, env=self.env).stdout
        commands = listing.split("SUBCOMMANDS:", 1)[-1].split("\n")
        if not any(line.startswith("  ") and line.split()[:1] == [subcommand] for line in commands):
            return None
        p = subprocess.run([self.anno, "help", subcommand], capture_output=True, text=True, env=self.env)
        return p.stdout + p.stderr

    # -- import

    def import_anno(self, db=None):
        db = db or self.anno_db
        remove_db(db)
        seconds, rss, _, cpu = run([self.anno, "--db", db, "import", self.corpus], env=self.env)
        return seconds, rss, cpu

    def import_sqlite(self, db=None):
        db = db or self.peer_db
        remove_db(db)
        script = self.sql_script("sqlite_import.sql", CORPUS=self.corpus, SCHEMA=os.path.join(HERE, "peer_schema.sql"))
        seconds, rss, _, cpu = run(["sqlite3", db], stdin=script)
        return seconds, rss, cpu

    def import_python(self):
        db = os.path.join(self.out, "python.sqlite")
        remove_db(db)
        seconds, rss, _, cpu = run([self.python, os.path.join(HERE, "py_import.py"), db, self.corpus])
        return seconds, rss, cpu

    def import_floor(self):
        db = os.path.join(self.out, "floor.sqlite")
        remove_db(db)
        seconds, rss, _, cpu = run([self.insert_floor(), db, os.path.join(HERE, "peer_schema.sql"),
                               os.path.join(self.out, "rows.tsv")])
        return seconds, rss, cpu

    def bench_import(self):
        self.say("import: %d runs of anno / sqlite3 shell / Python / C insert floor" % self.args.runs)
        if self.args.anno_only:
            return self.anno_only("import", self.import_anno)
        anno, shell, python, floor = alternate(self.args.runs, [
            ("anno import", self.import_anno), ("sqlite3 shell", self.import_sqlite),
            ("python sqlite3+json", self.import_python), ("C insert floor", self.import_floor)])
        for scratch in ("python.sqlite", "floor.sqlite"):  # 12 GB each at 1m
            remove_db(os.path.join(self.out, scratch))
        n = "{} docs".format(self.size)
        r = self.report
        r.compare("import " + n, anno, shell, "<=0.60x", 0.6)
        r.compare("import " + n, anno, floor, "<=2.00x", 2.0)
        r.compare("import " + n, anno, python)
        rss_mb = anno.peak_rss_kb / 1024 if anno.peak_rss_kb else None
        r.row("import peak RSS", rss_mb, shell.name, (shell.peak_rss_kb or 0) / 1024, None, "<=64 MB",
              rss_mb is not None and rss_mb <= 64, unit="MB")
        r.results.append({"measurement": "import", "anno": anno.to_json(), "peers": [
            dict(p.to_json(), ratio=ratio(anno.median, p.median)) for p in (shell, python, floor)],
            "per_document_us": anno.median / self.docs * 1e6, "targets": {
                "vs sqlite3 shell": "<=0.60x", "vs C insert floor": "<=2.00x", "peak RSS": "<=64 MB"}})

    def ensure_databases(self):
        """The export, agreement and shell measurements need the two imported databases."""
        if not os.path.exists(self.anno_db):
            self.say("importing once into %s" % self.anno_db)
            self.import_anno()
        if not os.path.exists(self.peer_db) and not self.args.anno_only:
            self.say("importing once into %s" % self.peer_db)
            self.import_sqlite()

    def anno_only(self, name, measure):
        """--anno-only: `name` measured for anno alone (the scaling runs at 1m, where a run of
        every peer would take hours); per-document time and peak memory are what they feed."""
        self.say("%s: %d runs of anno alone (--anno-only)" % (name, self.args.runs))
        series = Series("anno " + name)
        for _ in range(self.args.runs):
            os.sync()  # as alternate() does
            series.add(*measure())
        n = "{} docs".format(self.size)
        rss_mb = series.peak_rss_kb / 1024 if series.peak_rss_kb else None
        self.report.row(name + " " + n, series.median, "(peers not run)", None, None, "flat (scaling)")
        self.report.row(name + " peak RSS", rss_mb, "", None, None, "<=64 MB", rss_mb is not None and rss_mb <= 64,
                        unit="MB")
        self.report.results.append({"measurement": name, "anno": series.to_json(), "peers": [],
                                    "per_document_us": series.median / self.docs * 1e6})

    # -- export

    def bench_export(self):
        self.ensure_databases()
        self.say("export: %d runs of anno / sqlite3 shell / Python" % self.args.runs)
        out = {name: os.path.join(self.out, "export-%s.jsonl" % name) for name in ("anno", "sqlite", "python")}

        # Each run writes a new file, as each import run writes a new database: replacing the
        # previous run's 1.3 GB file (freeing its pages and blocks) cost about 0.7 s more.
        def anno():
            remove_file(out["anno"])
            seconds, rss, _, cpu = run([self.anno, "--db", self.anno_db, "export", "--format", "anno", "--all",
                                   "--out", out["anno"]], env=self.env)
            return seconds, rss, cpu

        def shell():
            remove_file(out["sqlite"])
            script = self.sql_script("sqlite_export.sql", OUT=out["sqlite"])
            seconds, rss, _, cpu = run(["sqlite3", "-readonly", self.peer_db], stdin=script)
            return seconds, rss, cpu

        def python():
            remove_file(out["python"])
            seconds, rss, _, cpu = run([self.python, os.path.join(HERE, "py_export.py"), self.peer_db, out["python"]])
            return seconds, rss, cpu

        if self.args.anno_only:
            self.anno_only("export", anno)
            os.remove(out["anno"])
            return
        a, s, p = alternate(self.args.runs, [("anno export", anno), ("sqlite3 shell", shell),
                                              ("python sqlite3+json", python)])
        lines = {name: sum(1 for _ in open(path, "rb")) for name, path in out.items()}
        a.extra["lines"], s.extra["lines"], p.extra["lines"] = lines["anno"], lines["sqlite"], lines["python"]
        n = "{} docs".format(self.size)
        r = self.report
        r.compare("export " + n, a, s, "<=1.00x", 1.0)
        r.compare("export " + n, a, p, "<=0.20x", 0.2)
        rss_mb = a.peak_rss_kb / 1024 if a.peak_rss_kb else None
        r.row("export peak RSS", rss_mb, s.name, (s.peak_rss_kb or 0) / 1024, None, "flat (scaling)", None, unit="MB")
        if len(set(lines.values())) != 1:
            self.say("warning: export line counts differ: %s" % lines)
        for name in out:
            os.remove(out[name])
        r.results.append({"measurement": "export", "anno": a.to_json(), "peers": [
            dict(x.to_json(), ratio=ratio(a.median, x.median)) for x in (s, p)],
            "per_document_us": a.median / self.docs * 1e6,
            "targets": {"vs sqlite3 shell": "<=1.00x", "vs python": "<=0.20x", "memory": "flat"}})

    # -- agreement

    def bench_agreement(self):
        r = self.report
        ratings = self.ensure_ratings()
        runs = min(self.args.runs, 3)
        help_text = self.anno_has("agree")
        units = "{:,} units".format(self.units)
        # (a) alpha on raw ratings: the peers always; anno when it has a ratings entry point.
        self.say("agreement: %d runs of the Python peers on %s" % (runs, units))
        peers = {name: Series(label) for name, label in (
            ("krippendorff", "krippendorff.alpha"), ("fleiss", "statsmodels fleiss_kappa"),
            ("cohen", "sklearn cohen_kappa"))}
        anno = Series("anno agree --ratings")
        can_rate = help_text is not None and "--ratings" in help_text
        for _ in range(runs):
            if can_rate:
                seconds, rss, _, cpu = run([self.anno, "agree", "--ratings", ratings, "--level", "nominal", "--format", "json"],
                                      env=self.env)
                anno.add(seconds, rss, cpu)
            p = subprocess.run([self.python, os.path.join(HERE, "agreement_peers.py"), ratings],
                               capture_output=True, text=True, check=True)
            result = json.loads(p.stdout)
            for name, series in peers.items():
                series.add(result[name]["seconds"])
                series.extra["value"] = result[name]["value"]
        label = "alpha nominal " + units
        if can_rate:
            for name, series in peers.items():
                r.row(label, anno.median, series.name, series.median, ratio(anno.median, series.median))
        else:
            reason = ("anno has no 'agree' command" if help_text is None else
                      "'anno agree' has no raw-ratings entry point (--ratings FILE)")
            r.blocked(label, reason + "; needs: anno agree --ratings FILE.csv --level nominal|interval --format json")
            for name, series in peers.items():
                r.row("  peer: " + series.name, None, series.name, series.median)
        r.results.append({"measurement": "agreement-ratings", "units": self.units,
                          "anno": anno.to_json() if can_rate else None,
                          "peers": [dict(s.to_json(), ratio=ratio(anno.median, s.median)) for s in peers.values()]})
        # (b) the full report on the imported database.
        label = "agree report {} docs".format(self.size)
        if help_text is None:
            r.blocked(label, "anno has no 'agree' command", "<5 s @100k")
            return
        self.ensure_databases()
        report = Series("anno agree")
        try:
            for _ in range(runs):
                seconds, rss, _, cpu = run([self.anno, "--db", self.anno_db, "agree", "--format", "json"], env=self.env)
                report.add(seconds, rss, cpu)
        except Failed as error:
            r.blocked(label, str(error), "<5 s @100k")
            return
        r.row(label, report.median, "", None, None, "<5 s @100k", report.median < 5)
        r.results.append({"measurement": "agree-report", "anno": report.to_json(), "target": "<5 s at 100k"})

    # -- tokenizer

    def bench_tokenizer(self):
        texts = os.path.join(self.out, "texts.jsonl")
        if self.anno_has("tokenize") is None:
            self.report.blocked("tokenize", "anno has no 'tokenize' command")
            return
        self.say("tokenizer: %d runs of anno tokenize / spaCy blank('en')" % self.args.runs)
        spacy_full = []

        anno_full = []

        def anno():
            # Like the spaCy peer, the time inside the tokenizer alone (--timing); the whole
            # command (reading and parsing the JSONL too) is kept as whole_loop_seconds.
            p = subprocess.run([self.anno, "tokenize", "--timing", texts], capture_output=True, text=True, check=True)
            result = json.loads(p.stdout)
            anno_full.append(result["tokenize_seconds"])
            return result["tokenize_seconds"], None, None

        def spacy():
            p = subprocess.run([self.python, os.path.join(HERE, "spacy_tokenize.py"), texts],
                               capture_output=True, text=True, check=True)
            result = json.loads(p.stdout)
            spacy_full.append(result["seconds"])
            return result["tokenize_seconds"], None, result["tokenize_cpu_seconds"]

        a, s = alternate(self.args.runs, [("anno tokenize", anno), ("spaCy blank en tokenizer", spacy)])
        s.extra["whole_loop_seconds"] = spacy_full
        anno_rate, spacy_rate = self.docs / a.median, self.docs / s.median
        self.report.row("tokenize {} docs".format(self.size), anno_rate, "spaCy tokenizer", spacy_rate,
                        ratio(a.median, s.median), "<=0.05x", ratio(a.median, s.median) <= 0.05, unit="docs/s",
                        cpu=ratio(a.cpu_median, s.cpu_median))
        result = {"measurement": "tokenizer", "anno": dict(a.to_json(), docs_per_second=anno_rate),
                  "peers": [dict(s.to_json(), docs_per_second=spacy_rate, ratio=ratio(a.median, s.median))],
                  "target": "anno time <= 0.05x spaCy's (20x the documents per second)"}
        agreement_script = os.path.join(ROOT, "scripts", "tokenizer_agreement.py")
        if os.path.exists(agreement_script):
            sample = os.path.join(self.out, "texts-sample.jsonl")
            with open(texts, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i >= 2000:
                        break
                    dst.write(line)
            p = subprocess.run([self.python, agreement_script, sample, "--anno-cmd", self.anno + " tokenize", "--show", "0"],
                               capture_output=True, text=True)
            lines = [l.strip() for l in p.stdout.split("\n") if " F1 " in l or l.startswith("identical")]
            result["boundary_agreement"] = {"exit": p.returncode, "documents": 2000, "lines": lines}
            gate = next((l for l in lines if l.startswith("nonspace, clusters kept whole tokens:")), None)
            plain = next((l for l in lines if l.startswith("nonspace tokens:")), None)
            if gate:
                f1 = float(gate.split(" F1 ")[1].split()[0])
                raw = float(plain.split(" F1 ")[1].split()[0]) if plain else None
                self.report.row("  boundary F1 vs spaCy", "%.5f" % f1, "2,000 docs", "raw %.5f" % raw if raw else "",
                                None, ">=0.995", f1 >= 0.995)
            else:
                self.report.row("  boundary F1 vs spaCy", "failed (exit %d)" % p.returncode)
        self.report.results.append(result)

    # -- interactive

    def bench_interactive(self):
        r = self.report
        reps = self.args.help_reps
        self.say("interactive: anno --help x %d" % reps)
        help_times = []
        for _ in range(reps):
            started = time.perf_counter()
            subprocess.run([self.anno, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
            help_times.append(time.perf_counter() - started)
        help_median = statistics.median(help_times)
        r.row("anno --help", help_median, "", None, None, "<=15 ms", help_median <= 0.015)
        results = {"measurement": "interactive", "help": {"samples": help_times, "median": help_median}}

        shell_text = self.anno_has("shell")
        if shell_text is None:
            r.blocked("shell", "anno has no 'shell' command")
            r.results.append(results)
            return
        self.ensure_databases()
        db = os.path.join(self.out, "shell.sqlite")
        remove_db(db)
        shutil.copyfile(self.anno_db, db)
        self.say("interactive: opening the shell x 20")
        opens = []
        for _ in range(20):
            seconds, rss, _, cpu = run([self.anno, "--db", db, "--annotator", "bench", "shell", "--color", "never",
                                   "-c", "quit"], env=self.env)
            opens.append(seconds)
        r.row("shell open {} docs".format(self.size), median(opens), "", None, None, "<100 ms @1m", median(opens) < 0.1)
        results["shell_open"] = {"samples": opens, "median": median(opens), "peak_rss_kb": rss}

        self.say("interactive: per-command latency (%d of each)" % self.args.shell_n)
        p = subprocess.run([self.python, os.path.join(HERE, "shell_latency.py"), "--anno", self.anno, "--db", db,
                            "--targets", os.path.join(self.out, "shell.tsv"), "--n", str(self.args.shell_n)],
                           capture_output=True, text=True, env=self.env)
        remove_db(db)
        if p.returncode != 0:
            r.blocked("shell commands", p.stderr.strip().split("\n")[-1])
            r.results.append(results)
            return
        latency = json.loads(p.stdout)
        results["commands"] = latency
        for name in ("next", "open", "show", "tag", "undo", "find"):
            script = latency["script"].get(name, {})
            pipe = latency["pipe"].get(name, {})
            label = "shell '%s'" % ("open ID" if name == "open" else "tag PER" if name == "tag" else
                                    "find WORD" if name == "find" else name)
            worst = max(script.get("mean_ms", 0), pipe.get("median_ms", 0))
            r.row(label, "%.2f ms" % script.get("mean_ms", float("nan")), "pipe median / p99",
                  "%.2f / %.2f ms" % (pipe.get("median_ms", float("nan")), pipe.get("p99_ms", float("nan"))),
                  None, "<10 ms", worst < 10 and not pipe.get("failures"))
        save = latency["pipe"].get("save", {})
        save_p99 = save.get("p99_ms")
        tag_p99 = latency["pipe"].get("tag", {}).get("p99_ms")
        r.row("durable save p99 (tag)", "%.2f ms" % save_p99 if save_p99 is not None else None,
              "whole 'tag' p99, from outside", "%.2f ms" % tag_p99 if tag_p99 is not None else None, None,
              "<=1.5 ms", save_p99 is not None and save_p99 <= 1.5)
        r.results.append(results)

    # -- everything

    def machine(self):
        info = {"hostname": platform.node(), "platform": platform.platform(), "python": platform.python_version(),
                "cores": os.cpu_count(), "load_average": os.getloadavg()}
        try:
            for line in open("/proc/cpuinfo"):
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
            for line in open("/proc/meminfo"):
                if line.startswith("MemTotal"):
                    info["memory_kb"] = int(line.split()[1])
        except OSError:
            pass
        for name, argv in (("sqlite3", ["sqlite3", "--version"]), ("anno", [self.anno, "--version"])):
            try:
                info[name] = subprocess.run(argv, capture_output=True, text=True).stdout.strip()
            except OSError:
                pass
        return info

    def main(self):
        only = self.args.only.split(",") if self.args.only else MEASUREMENTS
        unknown = [n for n in only if n not in MEASUREMENTS]
        if unknown:
            sys.exit("bench: unknown measurement %s; use %s" % (", ".join(unknown), ",".join(MEASUREMENTS)))
        started = datetime.datetime.now(datetime.timezone.utc)
        machine = self.machine()
        self.ensure_corpus()
        for name in MEASUREMENTS:
            if name not in only:
                continue
            try:
                getattr(self, "bench_" + name)()
            except Failed as error:
                self.report.blocked(name, str(error))
        results = {"date": started.isoformat(timespec="seconds"), "size": self.size, "documents": self.docs,
                   "seed": self.args.seed, "runs": self.args.runs, "machine": machine, "corpus": self.meta,
                   "load_average_after": os.getloadavg(), "measurements": self.report.results,
                   "table": self.report.rows}
        path = os.path.join(self.out, "results.json")
        previous = {}
        if self.args.only and os.path.exists(path):  # keep the other measurements of an earlier run
            try:
                previous = json.load(open(path))
            except ValueError:
                previous = {}
        if previous.get("measurements"):
            done = {m["measurement"].split("-")[0] for m in results["measurements"]}
            results["measurements"] = [m for m in previous["measurements"]
                                       if m["measurement"].split("-")[0] not in done] + results["measurements"]
        with open(path, "w") as handle:
            json.dump(results, handle, indent=2)
        print()
        print("Anno benchmarks: {} documents ({:,} annotation rows), {} runs each, {}".format(
            self.size, self.meta["annotation_rows"], self.args.runs, started.strftime("%Y-%m-%d %H:%M UTC")))
        print("machine: %s, %s cores, load average %.1f at start" % (
            machine.get("cpu", "?"), machine.get("cores"), machine["load_average"][0]))
        print()
        self.report.print()
        blocked = [m for m in self.report.results if "blocked" in m]
        if blocked:
            print()
            for m in blocked:
                print("blocked: %s: %s" % (m["measurement"], m["blocked"]))
        print()
        print("results: " + os.path.relpath(path, ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anno", required=True, help="the anno binary")
    parser.add_argument("--size", default="10k", choices=SIZES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="comma-separated: " + ",".join(MEASUREMENTS))
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--rating-units", type=int, help="units of the ratings file (default 1,000,000)")
    parser.add_argument("--anno-only", action="store_true",
                        help="import and export without their peers (for the 1m scaling run)")
    parser.add_argument("--help-reps", type=int, default=100, help="repetitions of anno --help")
    parser.add_argument("--shell-n", type=int, default=200, help="repetitions of each shell command")
    Suite(parser.parse_args()).main()


if __name__ == "__main__":
    main()
