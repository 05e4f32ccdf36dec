#!/usr/bin/env python3
"""Measures `reportlint check` as a user runs it: whole processes, files from the corpus.

Python 3 standard library only (Linux: reads /proc for per-thread CPU time).

  directory   `reportlint check corpus/normal` on one core (taskset -c 0) and on all cores:
              wall time, CPU time (user + sys of the process), MB/s of wall time and MB/s per
              core (bytes over CPU seconds), and how the CPU time was spread over the threads.
  compendium  `reportlint check corpus/compendium.txt` (one 3 MB file: one thread).
  one file    `reportlint check FILE` for a ~30 KB report, `--single-runs` times: the wall time
              of the whole process, start-up included (median, p95, min); once alone in a
              folder, once in its corpus folder (the checker reads the files beside it, looking
              for last year's report).

Usage:
  python3 tools/cli-bench.py --bin target/release/reportlint --corpus corpus [--runs 5]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def run(cmd, watch_threads=False):
    """(wall seconds, CPU seconds, {tid: CPU seconds}, exit code) of one process."""
    thread_cpu = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop = threading.Event()

    def poll():
        task_dir = f"/proc/{proc.pid}/task"
        while not stop.is_set():
            try:
                for tid in os.listdir(task_dir):
                    with open(f"{task_dir}/{tid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    # utime and stime are fields 14 and 15 of stat; here 11 and 12 after `)`.
                    thread_cpu[tid] = (int(fields[11]) + int(fields[12])) / TICK
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
            time.sleep(0.005)

    poller = threading.Thread(target=poll, daemon=True) if watch_threads else None
    if poller:
        poller.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    if poller:
        poller.join()
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, thread_cpu, code


def best_of(cmd, runs):
    """The run with the least wall time, and the median wall time."""
    results = [run(cmd) for _ in range(runs)]
    codes = {r[3] for r in results}
    if codes - {0}:
        sys.exit(f"{' '.join(cmd)} exited with {codes} (expected 0: the corpus is clean)")
    fastest = min(results, key=lambda r: r[0])
    return {
        "wall_s_min": round(fastest[0], 4),
        "wall_s_median": round(statistics.median(r[0] for r in results), 4),
        "cpu_s_min": round(min(r[1] for r in results), 4),
        "runs": runs,
    }


def size_of(path):
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/reportlint")
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--single-runs", type=int, default=200)
    ap.add_argument("--json")
    args = ap.parse_args()

    corpus = Path(args.corpus)
    normal = corpus / "normal"
    compendium = corpus / "compendium.txt"
    if not normal.is_dir():
        sys.exit(f"no {normal}: run `cargo run --release --example gencorpus -- --out {corpus}`")
    results = {"nproc": os.cpu_count(), "loadavg_before": os.getloadavg()}

    total = size_of(normal)
    results["directory_bytes"] = total
    check = [args.bin, "check", str(normal)]
    variants = [("all_cores", check)]
    if shutil.which("taskset"):
        variants.insert(0, ("one_core", ["taskset", "-c", "0"] + check))
    for name, cmd in variants:
        r = best_of(cmd, args.runs)
        r["mb_per_s_wall"] = round(total / r["wall_s_min"] / 1e6, 1)
        r["mb_per_s_per_core"] = round(total / r["cpu_s_min"] / 1e6, 1)
        results[f"directory_{name}"] = r
        print(f"directory ({name}): {total / 1e6:.1f} MB in {r['wall_s_min']:.3f} s wall "
              f"({r['mb_per_s_wall']} MB/s), {r['cpu_s_min']:.3f} s CPU "
              f"({r['mb_per_s_per_core']} MB/s per core)", flush=True)

    # How the work was spread: CPU seconds of each thread that did a noticeable share.
    wall, cpu, threads, _ = run(check, watch_threads=True)
    busy = sorted((t for t in threads.values() if t >= 0.02), reverse=True)
    results["threads"] = {"cpu_s": [round(t, 3) for t in busy], "wall_s": round(wall, 3),
                          "cpu_over_wall": round(cpu / wall, 2)}
    print(f"threads: {len(busy)} busy, CPU seconds {[round(t, 2) for t in busy]}, "
          f"CPU/wall {cpu / wall:.2f} (cores busy on average)", flush=True)

    if compendium.exists():
        size = compendium.stat().st_size
        r = best_of([args.bin, "check", str(compendium)], args.runs)
        r["mb_per_s_wall"] = round(size / r["wall_s_min"] / 1e6, 1)
        r["mb_per_s_per_core"] = round(size / r["cpu_s_min"] / 1e6, 1)
        results["compendium"] = r
        print(f"compendium: {size / 1e6:.1f} MB in {r['wall_s_min']:.3f} s wall "
              f"({r['mb_per_s_wall']} MB/s), {r['mb_per_s_per_core']} MB/s per core", flush=True)

    # One file alone in a folder, and the same file among the corpus (the checker looks for
    # last year's report among the files beside it).
    one = sorted((normal / "md").glob("*.md"))[0]
    siblings = len(list(one.parent.iterdir())) - 1
    with tempfile.TemporaryDirectory() as tmp:
        alone = Path(tmp) / one.name
        shutil.copy(one, alone)
        for key, path, what in [("one_file_alone", alone, "alone in a folder"),
                                ("one_file_in_corpus", one, f"beside {siblings} other reports")]:
            cmd = [args.bin, "check", str(path)]
            run(cmd)  # warm the page cache
            walls = sorted(run(cmd)[0] for _ in range(args.single_runs))
            p95 = walls[min(len(walls) - 1, int(round(0.95 * (len(walls) - 1))))]
            results[key] = {
                "file": one.name,
                "bytes": one.stat().st_size,
                "siblings": 0 if path == alone else siblings,
                "median_ms": round(statistics.median(walls) * 1e3, 2),
                "p95_ms": round(p95 * 1e3, 2),
                "min_ms": round(walls[0] * 1e3, 2),
                "runs": len(walls),
            }
            r = results[key]
            print(f"one file {what} ({r['bytes']} B, process start included): median "
                  f"{r['median_ms']} ms, p95 {r['p95_ms']} ms, min {r['min_ms']} ms over "
                  f"{r['runs']} runs", flush=True)
    results["loadavg_after"] = os.getloadavg()
    print(f"load average before {results['loadavg_before'][0]:.2f}, "
          f"after {results['loadavg_after'][0]:.2f} (on {results['nproc']} CPUs)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
