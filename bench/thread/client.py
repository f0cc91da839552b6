"""A small asyncio HTTP/1.1 keep-alive load client (for posting, and for reading where `wrk`
is not installed). One connection per simulated client; each sends its next request as soon
as the previous response has been read, until the deadline."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, one per response
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index]

    def summary(self) -> dict[str, object]:
        return {
            "requests": self.count,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.count / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(50) * 1000, 2),
            "p99_ms": round(self.percentile(99) * 1000, 2),
            "max_ms": round(max(self.latencies, default=0.0) * 1000, 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": self.errors,
        }


RequestFactory = Callable[[int, int], bytes]  # (client index, request number) -> request bytes


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value.strip())
        elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            body += await reader.readexactly(size + 2)
        return status, bytes(body)
    return status, await reader.readexactly(length) if length else b""


async def _client(
    index: int,
    host: str,
    port: int,
    make: RequestFactory,
    deadline: float,
    result: Result,
    on_response: Callable[[int, int, int, bytes], None] | None,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    number = 0
    try:
        while time.perf_counter() < deadline:
            request = make(index, number)
            started = time.perf_counter()
            writer.write(request)
            try:
                status, body = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                result.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            if on_response is not None:
                on_response(index, number, status, body)
            number += 1
    finally:
        writer.close()


async def _run(
    host: str,
    port: int,
    clients: int,
    seconds: float,
    make: RequestFactory,
    on_response: Callable[[int, int, int, bytes], None] | None,
) -> Result:
    result = Result()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(index, host, port, make, deadline, result, on_response)
            for index in range(clients)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def run(
    host: str,
    port: int,
    clients: int,
    seconds: float,
    make: RequestFactory,
    on_response: Callable[[int, int, int, bytes], None] | None = None,
) -> Result:
    try:
        import uvloop

        return uvloop.run(_run(host, port, clients, seconds, make, on_response))
    except ImportError:
        return asyncio.run(_run(host, port, clients, seconds, make, on_response))


def get_request(host: str, port: int, path: str) -> RequestFactory:
    raw = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode()
    return lambda index, number: raw


def post_comment_request(
    host: str, port: int, story_id: int, tokens: list[str], terms_version: str, run_id: str
) -> RequestFactory:
    from random import Random

    sentences = __import__("setup_db").SENTENCES

    def make(index: int, number: int) -> bytes:
        rng = Random(index * 1_000_003 + number)
        text = " ".join(rng.sample(sentences, rng.choice([1, 2, 3])))
        body = json.dumps(
            {"body": f"{text} (reader {index}, note {number})", "accept_terms": terms_version},
            ensure_ascii=False,
        ).encode()
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"{run_id}/{index}/{number}")
        head = (
            f"POST /api/v1/stories/{story_id}/comments HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\n"
            f"Authorization: Bearer {tokens[index % len(tokens)]}\r\n"
            f"Idempotency-Key: {key}\r\n"
            "Content-Type: application/json\r\n"
            "User-Agent: parley-bench/1\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    return make
