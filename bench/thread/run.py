"""Thread benchmark: a story with 10,000 comments, read hot and written to, per database.

    python bench/thread/run.py [--db sqlite|postgres|both] [--seconds 10] [--workers 2]

For each database: a fresh data folder (and, for PostgreSQL, a fresh `parley_bench`
database), `parley migrate`, the demo seed plus 10,000 published comments on the demo story
(~20 % replies), session tokens for 32 readers, then `parley serve --workers N` on a free
loopback port. It measures

  (a) the hot first page of the thread, the HTML story page and the JSON API, with 64
      connections (`wrk` when installed: `apt-get install -y wrk`; else the asyncio client),
  (b) posting with 16 clients, each its own reader with its own session token, a fresh
      Idempotency-Key and a distinct body per comment; afterwards the number of 201s must
      equal the rows added to the database,
  (c) peak RSS (VmHWM) of every server process.

It prints a table and writes JSON to bench/out/. Rate limits are off (PARLEY_RATE_LIMIT_SCALE=0)
and everything stays on 127.0.0.1; the server processes are stopped by PID at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(HERE))

import client  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/parley_bench"
MAX_PHASE_SECONDS = 15.0
TARGETS = {
    "page_per_second": 8000.0,
    "page_p99_ms": 25.0,
    "post_per_second": 1200.0,
    "rss_mib": 200.0,
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def loadavg() -> str:
    """The machine's 1-minute load: other work on the same two cores skews every figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the given processes have used (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing an odd database name: {name!r}")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def django_env(data_dir: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PARLEY_", "DJANGO_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        PARLEY_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        PARLEY_RATE_LIMIT_SCALE="0",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def setup_call(env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(HERE / "setup_db.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"setup_db.py {args[0]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                for child in (task / "children").read_text().split():
                    found.append(int(child))
                    found.extend(children_of(int(child)))
    return found


def proc_status(pid: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return fields


def peak_rss(pids: list[int]) -> list[dict[str, object]]:
    rows = []
    for pid in pids:
        status = proc_status(pid)
        if not status:
            continue
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]
        rows.append(
            {
                "pid": pid,
                "cmd": cmdline.strip(),
                "vm_hwm_mib": round(int(status.get("VmHWM", "0 kB").split()[0]) / 1024, 1),
                "vm_rss_mib": round(int(status.get("VmRSS", "0 kB").split()[0]) / 1024, 1),
            }
        )
    return rows


def max_hwm(pids: list[int]) -> float:
    """The largest peak RSS so far among the given processes, in MiB."""
    return max((float(row["vm_hwm_mib"]) for row in peak_rss(pids)), default=0.0)  # type: ignore[arg-type]


class Server:
    """`parley serve` as a subprocess; stopped by PID (its own, then any child left)."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.port = free_port()
        self.log_file = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "parley.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        self.pids: list[int] = [self.process.pid]
        self.log_path = log_path

    def wait_ready(self, path: str, workers: int, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}:\n"
                    + self.log_path.read_text()[-3000:]
                )
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as reply,
            ):
                if reply.status == 200:
                    break
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not answer in time")
        # All workers up (each is a child process of the supervisor).
        while time.monotonic() < deadline and len(self.worker_pids()) < workers:
            time.sleep(0.2)
        self.pids = [self.process.pid, *children_of(self.process.pid)]

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid)

    def stop(self) -> None:
        if self.log_file.closed:
            return  # already stopped
        pids = [self.process.pid, *children_of(self.process.pid)]
        self.pids = sorted(set(self.pids) | set(pids))
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for pid in self.pids[1:]:
            # Only processes this benchmark started: children of our own server process.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if proc_status(pid).get("PPid") in {str(self.process.pid), "1"}:
                    os.kill(pid, signal.SIGKILL)
        self.log_file.close()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, connections: int, seconds: float, threads: int) -> dict[str, object]:
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "--latency",
            "--timeout",
            "5s",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    text = done.stdout
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.MULTILINE))
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+),", text)
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    return {
        "tool": "wrk",
        "requests": int(total.group(1)) if total else 0,
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
        "p50_ms": round(_ms(percentiles.get("50", "")), 2),
        "p99_ms": round(_ms(percentiles.get("99", "")), 2),
        "non_2xx": int(non_ok.group(1)) if non_ok else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "raw": text,
    }


def read_load(
    port: int, path: str, connections: int, seconds: float, use_wrk: bool
) -> dict[str, object]:
    if use_wrk:
        return wrk(f"http://127.0.0.1:{port}{path}", connections, seconds, threads=2)
    result = client.run(
        "127.0.0.1", port, connections, seconds, client.get_request("127.0.0.1", port, path)
    )
    summary = result.summary()
    summary["tool"] = "asyncio client"
    summary["non_2xx"] = sum(v for k, v in result.statuses.items() if not 200 <= k < 400)
    return summary


def fetch(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, dict(response.headers.items()), response.read()


def bench_database(kind: str, args: argparse.Namespace) -> dict[str, object]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"parley-bench-{kind}-"))
    if kind == "postgres":
        database_url = args.postgres_url
        fresh_postgres(database_url)
    else:
        database_url = f"sqlite:///{data_dir / 'parley.sqlite3'}"
    env = django_env(data_dir, database_url, args.redis_url)
    log(f"{kind}: migrate, seed the demo and fill the story with {args.comments} comments")
    started = time.perf_counter()
    seeded = setup_call(
        env, "fill", "--comments", str(args.comments), "--readers", str(max(32, args.posters))
    )
    setup_seconds = time.perf_counter() - started
    story_id = int(seeded["story_id"])  # type: ignore[call-overload]
    tokens: list[str] = seeded["tokens"]  # type: ignore[assignment]
    page_path = f"/stories/{story_id}/"
    json_path = f"/api/v1/stories/{story_id}/comments"
    server = Server(env, args.workers, data_dir / "server.log")
    result: dict[str, object] = {
        "database": kind,
        "database_url": database_url,
        "setup_seconds": round(setup_seconds, 1),
        "seeded": {k: v for k, v in seeded.items() if k != "tokens"},
        "workers": args.workers,
        "port": server.port,
    }
    try:
        server.wait_ready(page_path, args.workers)
        result["server_pids"] = server.pids
        log(f"{kind}: serving on 127.0.0.1:{server.port}, pids {server.pids}")

        def poster() -> client.RequestFactory:
            # A fresh run id per phase: Idempotency-Keys never repeat (a repeat is a replay).
            return client.post_comment_request(
                "127.0.0.1",
                server.port,
                story_id,
                tokens,
                str(seeded["terms_version"]),
                uuid.uuid4().hex,
            )

        result["peak_rss_mib_at_start"] = max_hwm(server.pids)
        warm = client.run("127.0.0.1", server.port, args.posters, 1.0, poster())
        log(f"{kind}: warm-up posts {dict(warm.statuses)}")
        for path in (page_path, json_path):
            client.run(
                "127.0.0.1",
                server.port,
                args.connections,
                1.5,
                client.get_request("127.0.0.1", server.port, path),
            )
        result["peak_rss_mib_after_warm_up"] = max_hwm(server.pids)
        status, headers, body = fetch(server.port, page_path)
        result["page"] = {
            "status": status,
            "bytes": len(body),
            "headers": {
                k: v
                for k, v in headers.items()
                if k.lower()
                in {
                    "etag",
                    "cache-control",
                    "surrogate-key",
                    "content-security-policy",
                    "x-frame-options",
                    "referrer-policy",
                    "content-type",
                }
            },
        }
        _, _, json_body = fetch(server.port, json_path)
        result["json_bytes"] = len(json_body)
        for label, path in (("html_page", page_path), ("json_page", json_path)):
            log(f"{kind}: {label} at {args.connections} connections for {args.seconds}s")
            load_before, cpu_before = loadavg(), cpu_seconds(server.pids)
            result[label] = read_load(
                server.port, path, args.connections, args.seconds, args.use_wrk
            )
            result[label]["loadavg_before_after"] = [load_before, loadavg()]  # type: ignore[index]
            result[label]["peak_rss_mib_after"] = max_hwm(server.pids)  # type: ignore[index]
            # Server CPU per response: a figure that other load on the machine does not skew.
            result[label]["server_cpu_ms_per_request"] = round(  # type: ignore[index]
                (cpu_seconds(server.pids) - cpu_before)
                * 1000
                / max(1, int(result[label]["requests"])),  # type: ignore[call-overload]
                3,
            )
            log(f"{kind}: {label} {result[label]['per_second']}/s p99 {result[label]['p99_ms']} ms")
        before = int(setup_call(env, "count", "--story", str(story_id))["comment_rows"])  # type: ignore[call-overload]
        log(f"{kind}: posting with {args.posters} clients for {args.seconds}s")
        load_before, cpu_before = loadavg(), cpu_seconds(server.pids)
        posting = client.run("127.0.0.1", server.port, args.posters, args.seconds, poster())
        load_after, cpu_after = loadavg(), cpu_seconds(server.pids)
        counted = setup_call(env, "count", "--story", str(story_id))
        after = int(counted["comment_rows"])  # type: ignore[call-overload]
        # The page served right after the last acknowledged post must be the current one:
        # its ETag names the story's thread version (parley.embed.views._page_key).
        _, after_headers, _ = fetch(server.port, page_path)
        etag = {k.lower(): v for k, v in after_headers.items()}.get("etag", "")
        etag_version = etag.split(".")[2:3]
        result["page_fresh_after_posting"] = {
            "etag": etag,
            "thread_version": counted["thread_version"],
            "fresh": etag_version == [str(counted["thread_version"])],
        }
        summary = posting.summary()
        created = posting.statuses.get(201, 0)
        summary["created_201"] = created
        summary["rows_added"] = after - before
        summary["rows_match"] = created == after - before
        summary["per_second_201"] = round(created / posting.seconds, 1)
        summary["loadavg_before_after"] = [load_before, load_after]
        summary["peak_rss_mib_after"] = max_hwm(server.pids)
        summary["server_cpu_ms_per_request"] = round(
            (cpu_after - cpu_before) * 1000 / max(1, posting.count), 3
        )
        result["posting"] = summary
        log(
            f"{kind}: posting {summary['per_second_201']}/s p99 {summary['p99_ms']} ms, "
            f"201s {created}, rows added {after - before}"
        )
        result["rss"] = peak_rss(server.pids)
    except Exception as error:
        server.stop()
        tail = server.log_path.read_text()[-1500:]
        raise RuntimeError(f"{error}\n--- server log (tail) ---\n{tail}") from error
    finally:
        server.stop()
        result["server_log_tail"] = server.log_path.read_text()[-2000:]
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            result["data_dir"] = str(data_dir)
    return result


def ratios(result: dict[str, object]) -> dict[str, float]:
    page = result["html_page"]
    posting = result["posting"]
    workers = [row for row in result["rss"] if "spawn_main" in str(row["cmd"])]  # type: ignore[union-attr]
    worst_rss = max((row["vm_hwm_mib"] for row in result["rss"]), default=0.0)  # type: ignore[union-attr]
    return {
        "page_per_second": round(page["per_second"] / TARGETS["page_per_second"], 3),  # type: ignore[index]
        # For the latency ceiling, above 1.0 is better (target / measured).
        "page_p99": round(TARGETS["page_p99_ms"] / max(page["p99_ms"], 1e-9), 3),  # type: ignore[index]
        "post_per_second": round(posting["per_second_201"] / TARGETS["post_per_second"], 3),  # type: ignore[index]
        "rss": round(TARGETS["rss_mib"] / max(worst_rss, 1e-9), 3),
        "worker_count": len(workers),
    }


def table(results: list[dict[str, object]]) -> str:
    lines = [
        f"{'database':<9} {'measure':<34} {'value':>12} {'p50 ms':>8} {'p99 ms':>8} {'target':>16}",
    ]
    for r in results:
        db = str(r["database"])
        page, js, posting = r["html_page"], r["json_page"], r["posting"]
        rss = max(row["vm_hwm_mib"] for row in r["rss"])  # type: ignore[union-attr]
        lines += [
            f"{db:<9} {'HTML story page, 64 conn (pages/s)':<34} {page['per_second']:>12,.0f} "  # type: ignore[index]
            f"{page['p50_ms']:>8} {page['p99_ms']:>8} {'>=8000, p99<=25':>16}",  # type: ignore[index]
            f"{db:<9} {'JSON comments, 64 conn (req/s)':<34} {js['per_second']:>12,.0f} "  # type: ignore[index]
            f"{js['p50_ms']:>8} {js['p99_ms']:>8} {'':>16}",  # type: ignore[index]
            f"{db:<9} {'posting, 16 clients (201/s)':<34} {posting['per_second_201']:>12,.1f} "  # type: ignore[index]
            f"{posting['p50_ms']:>8} {posting['p99_ms']:>8} {'>=1200':>16}",  # type: ignore[index]
            f"{db:<9} {'201s == rows added':<34} "
            f"{posting['created_201']:>6} = {posting['rows_added']:<5}{'':>17} "  # type: ignore[index]
            f"{'ok' if posting['rows_match'] else 'MISMATCH':>16}",  # type: ignore[index]
            f"{db:<9} {'peak RSS, worst process (MiB)':<34} {rss:>12.1f} "
            f"{'':>8} {'':>8} {'<=200':>16}",
        ]
        loads = [
            r["html_page"]["loadavg_before_after"],  # type: ignore[index]
            r["json_page"]["loadavg_before_after"],  # type: ignore[index]
            r["posting"]["loadavg_before_after"],  # type: ignore[index]
        ]
        lines.append(f"{db:<9} 1-min load average before/after each phase: {loads}")
        cpu = [
            r[phase]["server_cpu_ms_per_request"]  # type: ignore[index]
            for phase in ("html_page", "json_page", "posting")
        ]
        lines.append(f"{db:<9} server CPU ms per request (page, JSON, post): {cpu}")
        peaks = [r["peak_rss_mib_at_start"], r["peak_rss_mib_after_warm_up"]] + [
            r[phase]["peak_rss_mib_after"]  # type: ignore[index]
            for phase in ("html_page", "json_page", "posting")
        ]
        lines.append(f"{db:<9} peak RSS MiB at start, after warm-up, page, JSON, posting: {peaks}")
        ratio = r["ratios"]
        lines.append(
            f"{db:<9} ratios (measured/target): pages/s {ratio['page_per_second']}, "  # type: ignore[index]
            f"p99 {ratio['page_p99']}, posts/s {ratio['post_per_second']}, RSS {ratio['rss']}"  # type: ignore[index]
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase, at most 15")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--posters", type=int, default=16)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--redis-url", default=None, help="serve with REDIS_URL (optional)")
    parser.add_argument("--no-wrk", dest="use_wrk", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument("--label", default="", help="a note stored with the JSON")
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1.0), MAX_PHASE_SECONDS)
    if args.use_wrk and shutil.which("wrk") is None:
        log("wrk is not installed (apt-get install -y wrk): using the asyncio client")
        args.use_wrk = False
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    failed = []
    for kind in kinds:
        try:
            result = bench_database(kind, args)
        except Exception as error:  # report it, and still run the other database
            log(f"{kind}: FAILED: {error}")
            failed.append({"database": kind, "error": str(error)[-3000:]})
            continue
        result["ratios"] = ratios(result)
        results.append(result)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "label": args.label,
        "command": " ".join(["python", "bench/thread/run.py", *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_at_end": Path("/proc/loadavg").read_text().strip(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "targets": TARGETS,
        "results": results,
        "failed": failed,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"thread-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(table(results))
    for failure in failed:
        print(f"{failure['database']}: FAILED (see the JSON)")
    print(f"\nJSON: {path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
