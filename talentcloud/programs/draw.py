"""The replayable draw of a review panel (ADR 0027): pure functions, no database.

Anyone holding the published pool (the experts' public codes), the ceremony's digits, the panel size and the
published list of struck codes (declined, or found in conflict after the draw) gets the same panel:

1. the pool digest is SHA-256 over ``POOL_HEADER``, the application's number and the sorted codes, one a line;
2. the seed is SHA-256 over ``pool digest + ":" + digits`` (both as ASCII);
3. the stream: block ``i`` (from 0) is SHA-256(seed ‖ i as 8 bytes big-endian), read as four 64-bit words;
4. each pick takes words from the stream until one is below the largest multiple of ``n`` under 2^64 (so every
   index is equally likely) and removes ``pool[word % n]`` from the sorted pool that remains: the picks are a
   random permutation of the pool;
5. the panel is the first ``size`` codes of that permutation that are not struck. A decline or a conflict
   strikes a code and the next one of the same permutation takes the seat.

``tools/replay_draw.py`` is the same procedure written again with nothing of the project imported; a test
holds the two together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

POOL_HEADER = "talentcloud-programs-pool-v1"
_WORD = 2**64


def pool_digest(application_number: str, codes: Iterable[str]) -> str:
    lines = [POOL_HEADER, application_number, *sorted(set(codes))]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def seed_of(digest: str, digits: str) -> bytes:
    return hashlib.sha256(f"{digest}:{digits}".encode("ascii")).digest()


def words(seed: bytes) -> Iterator[int]:
    """The random stream: 64-bit words of SHA-256 in counter mode over the seed."""
    counter = 0
    while True:
        block = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        for start in range(0, 32, 8):
            yield int.from_bytes(block[start : start + 8], "big")
        counter += 1


def permutation(codes: Iterable[str], seed: bytes) -> list[str]:
    """The pool in the order the stream draws it."""
    remaining = sorted(set(codes))
    stream = words(seed)
    order: list[str] = []
    while remaining:
        n = len(remaining)
        limit = _WORD - _WORD % n
        word = next(stream)
        while word >= limit:
            word = next(stream)
        order.append(remaining.pop(word % n))
    return order


def panel(
    application_number: str, codes: Iterable[str], digits: str, size: int, struck: Iterable[str] = ()
) -> list[str]:
    """The panel: the first ``size`` drawn codes not struck (fewer when the pool runs out)."""
    codes = list(codes)
    order = permutation(codes, seed_of(pool_digest(application_number, codes), digits))
    out = set(struck)
    return [code for code in order if code not in out][:size]
