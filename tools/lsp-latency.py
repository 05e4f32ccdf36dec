#!/usr/bin/env python3
"""Drives `reportlint server` over stdio like an editor and measures what the user waits for.

Python 3 standard library only. The server is the real binary; the reports come from the
corpus generator (`cargo run --release --example gencorpus -- --out corpus`).

Measurements:
  typing   For each document (a ~30 KB report of each shape, and the ~3 MB compendium):
           N one-character edits in a prose paragraph (an insertion, then its deletion, ...).
           Each edit waits for the `publishDiagnostics` of its version; the latency is the
           time from writing the `didChange` to reading that notification, at the client.
           After each edit `reportlint/stats` reports how many parsed blocks were reused.
  burst    100 one-character edits written as fast as possible, then the time from the last
           write to the diagnostics of the last version, and how many `publishDiagnostics`
           the burst produced. Notifications that arrive after the last version's (stale
           analyses) are counted too.
  memory   VmRSS of the server after `initialize`, after opening 100 reports of ~30 KB (and
           their diagnostics arrived), and after closing them all.

Usage:
  python3 tools/lsp-latency.py --server target/release/reportlint --corpus corpus
  python3 tools/lsp-latency.py ... --iterations 20 --docs 10 --json out.json   (quick)

Exits 0 when every measurement completed (it asserts nothing about timing), 1 when the server
did not answer, crashed or published something unexpected.
"""

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

INSERT = "字"


class Server:
    """A `reportlint server` process and a thread that reads its messages."""

    def __init__(self, path):
        self.proc = subprocess.Popen(
            [path, "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self.next_id = 1
        self.messages = queue.Queue()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        buf = b""
        while True:
            # Headers, then exactly Content-Length bytes.
            length = None
            while True:
                while b"\r\n" not in buf:
                    chunk = os.read(out.fileno(), 1 << 20)
                    if not chunk:
                        self.messages.put((time.perf_counter(), None))
                        return
                    buf += chunk
                line, buf = buf.split(b"\r\n", 1)
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(buf) < length:
                chunk = os.read(out.fileno(), max(1 << 20, length - len(buf)))
                if not chunk:
                    self.messages.put((time.perf_counter(), None))
                    return
                buf += chunk
            body, buf = buf[:length], buf[length:]
            # The arrival time is taken before decoding, as an editor would see the bytes.
            arrived = time.perf_counter()
            msg = json.loads(body)
            if "method" in msg and "id" in msg:
                # A request from the server (configuration, registration): answer it.
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            self.messages.put((arrived, msg))

    def send(self, msg):
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.lock:
            sent = time.perf_counter()
            self.proc.stdin.write(frame)
        return sent

    def notify(self, method, params):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        return self.send(msg)

    def request(self, method, params, timeout=60):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        while True:
            _, msg = self.wait(lambda m: m.get("id") == rid, timeout)
            if "error" in msg:
                raise RuntimeError(f"{method}: {msg['error']}")
            return msg.get("result")

    def wait(self, predicate, timeout=60):
        """The next message matching `predicate`; others are dropped."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no answer from the server")
            try:
                arrived, msg = self.messages.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no answer from the server") from None
            if msg is None:
                raise RuntimeError("the server closed its output")
            if predicate(msg):
                return arrived, msg

    def drain(self, seconds):
        """Messages that arrive within `seconds`."""
        out = []
        deadline = time.perf_counter() + seconds
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return out
            try:
                item = self.messages.get(timeout=left)
            except queue.Empty:
                return out
            if item[1] is None:
                raise RuntimeError("the server closed its output")
            out.append(item)

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_s(self):
        """CPU time (user + system, all threads) the server has used so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self):
        try:
            self.request("shutdown", None, timeout=60)
            self.notify("exit", None)
            self.proc.wait(timeout=60)
        except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"lsp-latency: the server did not shut down cleanly: {e}", file=sys.stderr)
            self.proc.kill()
            self.proc.wait()


def is_publish(uri, version=None):
    def pred(m):
        if m.get("method") != "textDocument/publishDiagnostics":
            return False
        p = m["params"]
        return p["uri"] == uri and (version is None or p.get("version") == version)

    return pred


def initialize(server):
    server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": None,
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "synchronization": {"didSave": False},
                },
            },
        },
    )
    server.notify("initialized", {})


def uri_for(path, n=0):
    return f"file:///bench/{n:04d}/{Path(path).name}"


def language_of(path):
    return "markdown" if str(path).endswith(".md") else "plaintext"


def open_doc(server, uri, path, text, timeout=120):
    server.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": uri,
                "languageId": language_of(path),
                "version": 1,
                "text": text,
            }
        },
    )
    _, msg = server.wait(is_publish(uri, 1), timeout)
    return msg


def edit_position(text, fraction=0.5):
    """(line, UTF-16 column) just after a `，` in the middle of a prose line past `fraction`."""
    lines = text.split("\n")
    target = int(len(lines) * fraction)
    order = list(range(target, len(lines))) + list(range(0, target))
    for i in order:
        line = lines[i]
        if len(line) < 100 or "\t" in line or "|" in line or line.startswith("#"):
            continue
        mid = len(line) // 2
        comma = line.find("，", mid)
        if comma < 0:
            comma = line.rfind("，", 0, mid)
        if comma < 0:
            continue
        col = comma + 1
        return i, sum(2 if ord(c) > 0xFFFF else 1 for c in line[:col])
    raise ValueError("no prose line to edit")


def change(uri, version, line, col, insert):
    if insert:
        rng = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}
        text = INSERT
    else:
        rng = {
            "start": {"line": line, "character": col},
            "end": {"line": line, "character": col + 1},
        }
        text = ""
    return {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": rng, "text": text}],
    }


def summary_ms(samples):
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return {
        "n": len(s),
        "median_ms": round(statistics.median(s) * 1e3, 3),
        "p95_ms": round(p95 * 1e3, 3),
        "max_ms": round(s[-1] * 1e3, 3),
        "min_ms": round(s[0] * 1e3, 3),
    }


def typing(server, path, iterations, n):
    text = Path(path).read_text(encoding="utf-8")
    uri = uri_for(path, n)
    t0 = time.perf_counter()
    first = open_doc(server, uri, path, text)
    open_s = time.perf_counter() - t0
    rss_open = server.rss_kb()
    line, col = edit_position(text)
    latencies = []
    reused = []
    parsed = []
    edited = []
    diagnostics = len(first["params"]["diagnostics"])
    version = 1
    cpu_before = server.cpu_s()
    for i in range(iterations):
        version += 1
        sent = server.notify("textDocument/didChange", change(uri, version, line, col, i % 2 == 0))
        arrived, msg = server.wait(is_publish(uri, version))
        latencies.append(arrived - sent)
        diagnostics = max(diagnostics, len(msg["params"]["diagnostics"]))
        stats = server.request("reportlint/stats", {"uri": uri})
        total = stats["reused"] + stats["parsed"]
        reused.append(stats["reused"] / total if total else 0.0)
        parsed.append(stats["parsed"])
        edited.append(1.0 if stats.get("text_edited") else 0.0)
    cpu_used = server.cpu_s() - cpu_before
    rss_edited = server.rss_kb()
    close_doc(server, uri)
    res = summary_ms(latencies)
    res.update(
        {
            "doc": Path(path).name,
            "bytes": len(text.encode("utf-8")),
            "open_ms": round(open_s * 1e3, 1),
            # Server CPU time per edit (its analysis, the stats request and the protocol):
            # unlike the latency, it does not grow when other processes hold the cores.
            "server_cpu_ms_per_edit": round(cpu_used / max(iterations, 1) * 1e3, 3),
            "reuse_rate": round(statistics.mean(reused), 4) if reused else None,
            "blocks": total if reused else None,
            "parsed_per_edit": round(statistics.mean(parsed), 2) if parsed else None,
            # Analyses whose text was edited in place rather than copied from the rope.
            "text_edited_rate": round(statistics.mean(edited), 4) if edited else None,
            "rss_after_open_mb": round(rss_open / 1024, 1),
            "rss_after_edits_mb": round(rss_edited / 1024, 1),
            "max_diagnostics": diagnostics,
        }
    )
    return res


def close_doc(server, uri):
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri and not m["params"]["diagnostics"]
                and m["params"].get("version") is None)


def burst(server, path, keystrokes, n):
    text = Path(path).read_text(encoding="utf-8")
    uri = uri_for(path, n)
    open_doc(server, uri, path, text)
    line, col = edit_position(text)
    # Type `keystrokes` characters one after another, each a separate didChange.
    version = 1
    frames = []
    for i in range(keystrokes):
        version += 1
        frames.append(change(uri, version, line, col + i, True))
    first_sent = None
    for f in frames:
        sent = server.notify("textDocument/didChange", f)
        first_sent = first_sent or sent
    last_sent = sent
    publishes = []
    while True:
        arrived, msg = server.wait(is_publish(uri))
        publishes.append((arrived, msg["params"].get("version")))
        if msg["params"].get("version") == version:
            break
    # Anything published after the last version is a stale analysis that was still queued.
    late = [v for _, m in server.drain(0.5) if m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri for v in [m["params"].get("version")]]
    versions = [v for _, v in publishes]
    close_doc(server, uri)
    return {
        "doc": Path(path).name,
        "keystrokes": keystrokes,
        "send_ms": round((last_sent - first_sent) * 1e3, 3),
        "last_edit_to_diagnostics_ms": round((publishes[-1][0] - last_sent) * 1e3, 3),
        "publishes": len(publishes),
        "published_versions": versions,
        "monotonic": all(a < b for a, b in zip(versions, versions[1:])),
        "stale_after_last": len(late),
    }


def memory(server, paths):
    base = server.rss_kb()
    uris = []
    for i, p in enumerate(paths):
        text = Path(p).read_text(encoding="utf-8")
        uri = uri_for(p, 1000 + i)
        open_doc(server, uri, p, text)
        uris.append(uri)
    opened = server.rss_kb()
    for uri in uris:
        close_doc(server, uri)
    time.sleep(0.5)
    closed = server.rss_kb()
    return {
        "docs": len(paths),
        "bytes": sum(Path(p).stat().st_size for p in paths),
        "rss_initialized_mb": round(base / 1024, 1),
        "rss_open_mb": round(opened / 1024, 1),
        "rss_closed_mb": round(closed / 1024, 1),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", default="target/release/reportlint")
    ap.add_argument("--corpus", default="corpus", help="output of the gencorpus example")
    ap.add_argument("--iterations", type=int, default=200, help="edits per document")
    ap.add_argument("--large-iterations", type=int, default=None,
                    help="edits on the compendium (default: --iterations)")
    ap.add_argument("--burst", type=int, default=100, help="keystrokes in the burst")
    ap.add_argument("--docs", type=int, default=100, help="reports open for the memory test")
    ap.add_argument("--skip", default="", help="comma-separated: typing,large,burst,memory")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()

    corpus = Path(args.corpus)
    normal = sorted((corpus / "normal").glob("*/*.*"))
    compendium = corpus / "compendium.txt"
    if not normal:
        sys.exit(f"no reports under {corpus}/normal: run "
                 f"`cargo run --release --example gencorpus -- --out {corpus}` first")
    skip = set(filter(None, args.skip.split(",")))
    by_shape = {}
    for p in normal:
        by_shape.setdefault(p.parent.name, p)

    results = {"server": args.server, "corpus": str(corpus), "nproc": os.cpu_count(),
               "loadavg_before": os.getloadavg()}
    server = Server(args.server)
    try:
        initialize(server)
        n = 0
        if "typing" not in skip:
            results["typing"] = []
            for shape in ["md", "tsv", "word", "web"]:
                if shape not in by_shape:
                    continue
                n += 1
                r = typing(server, by_shape[shape], args.iterations, n)
                results["typing"].append(r)
                print(f"typing {shape:4} {r['bytes']:>8} B: median {r['median_ms']:.3f} ms, "
                      f"p95 {r['p95_ms']:.3f} ms, max {r['max_ms']:.3f} ms, "
                      f"server CPU {r['server_cpu_ms_per_edit']:.2f} ms/edit, "
                      f"reuse {r['reuse_rate']:.2%} of {r['blocks']} blocks "
                      f"(open {r['open_ms']} ms)", flush=True)
        if "large" not in skip and compendium.exists():
            n += 1
            r = typing(server, compendium, args.large_iterations or args.iterations, n)
            results["large"] = r
            print(f"typing large {r['bytes']:>8} B: median {r['median_ms']:.3f} ms, "
                  f"p95 {r['p95_ms']:.3f} ms, max {r['max_ms']:.3f} ms, "
                  f"server CPU {r['server_cpu_ms_per_edit']:.2f} ms/edit, "
                  f"reuse {r['reuse_rate']:.2%} of {r['blocks']} blocks, "
                  f"{r['parsed_per_edit']} parsed an edit, text edited in place "
                  f"{r['text_edited_rate']:.0%} (open {r['open_ms']} ms, "
                  f"RSS {r['rss_after_open_mb']} MB open, {r['rss_after_edits_mb']} MB after "
                  f"the edits)", flush=True)
        if "burst" not in skip:
            n += 1
            r = burst(server, by_shape.get("md", normal[0]), args.burst, n)
            results["burst"] = r
            print(f"burst {r['keystrokes']} keystrokes (sent in {r['send_ms']:.1f} ms): "
                  f"last edit -> diagnostics {r['last_edit_to_diagnostics_ms']:.3f} ms, "
                  f"{r['publishes']} publishDiagnostics, versions {r['published_versions']}, "
                  f"stale after last: {r['stale_after_last']}", flush=True)
        if "memory" not in skip:
            # A fresh server, so the large document does not count.
            server.close()
            server = Server(args.server)
            initialize(server)
            # Take the reports round-robin over the shapes.
            shapes = sorted({p.parent.name for p in normal})
            per = {s: [p for p in normal if p.parent.name == s] for s in shapes}
            picked = []
            i = 0
            while len(picked) < min(args.docs, len(normal)):
                s = shapes[i % len(shapes)]
                if per[s]:
                    picked.append(per[s].pop(0))
                i += 1
            r = memory(server, picked)
            results["memory"] = r
            print(f"memory: {r['rss_initialized_mb']} MB after initialize, "
                  f"{r['rss_open_mb']} MB with {r['docs']} reports open "
                  f"({r['bytes'] / 1e6:.1f} MB of text), {r['rss_closed_mb']} MB after closing",
                  flush=True)
    except (TimeoutError, RuntimeError) as e:
        print(f"lsp-latency: {e}", file=sys.stderr)
        server.proc.kill()
        sys.exit(1)
    server.close()
    results["exit_code"] = server.proc.returncode
    results["loadavg_after"] = os.getloadavg()
    print(f"load average before {results['loadavg_before'][0]:.2f}, after "
          f"{results['loadavg_after'][0]:.2f} (on {results['nproc']} CPUs)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
