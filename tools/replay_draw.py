#!/usr/bin/env python3
"""Replay the review panels of a talent programme call from what the office published (ADR 0027).

This script imports nothing of the platform: only Python's standard library. Give it the published draw file
(``/programmes/calls/<id>/draws.json`` on the portal, or ``GET /api/v1/programs/calls/{id}/draws``): for every
draw it recomputes the pool digest from the listed codes, the seed from the digest and the ceremony's digits,
and the panel from the seed, the panel size and the codes struck since (declined or found in conflict), and
says whether each matches what was published.

    python3 tools/replay_draw.py draws.json        # exit status 0: every panel reproduced

The procedure (the same as ``talentcloud/programs/draw.py``):
  digest = SHA-256("talentcloud-programs-pool-v1" \\n number \\n code \\n code …)   codes sorted, one a line
  seed   = SHA-256(digest + ":" + digits)
  stream = SHA-256(seed ‖ counter as 8 bytes big-endian), counter 0, 1, …, read as 64-bit big-endian words
  pick   = next word below 2^64 − (2^64 mod n), index word mod n into the sorted codes that remain
  panel  = the first `size` picks that are not struck
"""

from __future__ import annotations

import hashlib
import json
import sys

HEADER = "talentcloud-programs-pool-v1"


def digest_of(number, codes):
    return hashlib.sha256("\n".join([HEADER, number, *sorted(set(codes))]).encode("utf-8")).hexdigest()


def stream_of(seed):
    counter = 0
    while True:
        block = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        for start in (0, 8, 16, 24):
            yield int.from_bytes(block[start : start + 8], "big")
        counter += 1


def replay(number, codes, digits, size, struck):
    digest = digest_of(number, codes)
    seed = hashlib.sha256(f"{digest}:{digits}".encode("ascii")).digest()
    remaining = sorted(set(codes))
    stream = stream_of(seed)
    drawn = []
    while remaining:
        n = len(remaining)
        limit = 2**64 - 2**64 % n
        word = next(stream)
        while word >= limit:
            word = next(stream)
        drawn.append(remaining.pop(word % n))
    return digest, [code for code in drawn if code not in set(struck)][:size]


def check(draws):
    """Each draw: (number, attempt, digest matches, panel matches)."""
    results = []
    for draw in draws:
        digest, members = replay(
            draw["application"], draw["pool"], draw["digits"], draw["size"], draw.get("struck", [])
        )
        results.append(
            (draw["application"], draw.get("attempt", 1), digest == draw["digest"], members == draw["panel"])
        )
    return results


def main(argv):
    if len(argv) != 2:
        print("usage: replay_draw.py DRAWS.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        published = json.load(handle)
    draws = published["draws"] if isinstance(published, dict) else published
    bad = 0
    for number, attempt, digest_ok, panel_ok in check(draws):
        ok = digest_ok and panel_ok
        bad += not ok
        print(
            f"{number} attempt {attempt}: digest {'ok' if digest_ok else 'DIFFERS'}, "
            f"panel {'ok' if panel_ok else 'DIFFERS'}"
        )
    print(f"{len(draws) - bad} of {len(draws)} panels reproduced")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
