"""Refusing a hostile document: documents of n fragments, each spreading the next twice, validated with the
API's rules (each fragment measured once) beside strawberry's depth and alias limiters (which walk a
fragment again at every spread), in the same run; and the whole refusal over HTTP (in process).

    python -m benchmarks.bench_validation [--sizes 15,16,18,20,22,44]

strawberry's limiters double in time per fragment, so they are timed only up to --old-up-to (default 18);
the issue's document is n = 22 (864 bytes). The target: refused in under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from graphql import parse, specified_rules
from strawberry.extensions.max_aliases import create_validator as strawberry_aliases
from strawberry.extensions.query_depth_limiter import create_validator as strawberry_depth
from strawberry.schema.schema import validate_document

from lineage.api.app import create_app
from lineage.api.limits import DEFAULT_LIMITS, limit_rules
from lineage.api.schema import build_schema
from lineage.stores.memory import MemoryStore


def doubling(n: int) -> str:
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(n))
    return f"query {{ ...F0 }} {fragments} fragment F{n} on Query {{ __typename }}"


def best_ms(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


async def over_http(n: int) -> float:
    transport = httpx.ASGITransport(app=create_app(MemoryStore()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        started = time.perf_counter()
        body = (await http.post("/graphql", json={"query": doubling(n)})).json()
        elapsed = (time.perf_counter() - started) * 1000
    assert {e["extensions"]["code"] for e in body["errors"]} >= {"COST_LIMIT"}, body
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="15,16,18,20,22,44")
    parser.add_argument("--old-up-to", type=int, default=18)
    args = parser.parse_args()
    schema = build_schema()._schema
    ours = (*specified_rules, *limit_rules(DEFAULT_LIMITS))
    old = (*specified_rules, strawberry_depth(DEFAULT_LIMITS.max_depth, None), strawberry_aliases(15))
    print(f"{'fragments':>9} {'bytes':>6} {'our rules ms':>13} {'strawberry ms':>14} {'ratio':>8} {'over HTTP ms':>13}")
    for n in (int(size) for size in args.sizes.split(",")):
        document = parse(doubling(n))
        mine = best_ms(lambda document=document: validate_document(schema, document, ours))
        theirs = (
            best_ms(lambda document=document: validate_document(schema, document, old), 1)
            if n <= args.old_up_to
            else None
        )
        http = asyncio.run(over_http(n))
        cells = f"{theirs:14.1f} {theirs / mine:7.0f}x" if theirs is not None else f"{'(not run)':>14} {'':>8}"
        print(f"{n:>9} {len(doubling(n)):>6} {mine:13.2f} {cells} {http:13.1f}")


if __name__ == "__main__":
    main()
