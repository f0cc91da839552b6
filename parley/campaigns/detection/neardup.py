"""Near-duplicate text: MinHash signatures and a windowed LSH index.

Signatures are computed with numpy over the shingle hashes (same scheme as datasketch:
``(a * h + b) mod (2**61 - 1)``), banded into ``bands x rows`` keys. The index keeps, per band
key, the most recent record only, and forgets records that leave the ring buffer or the time
window, so memory is bounded by ``capacity``.
"""

from __future__ import annotations

import numpy as np

_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


class MinHasher:
    def __init__(self, num_perm: int = 64, seed: int = 1) -> None:
        rng = np.random.RandomState(seed)
        self.num_perm = num_perm
        self._a = rng.randint(1, 1 << 32, size=num_perm, dtype=np.uint64)
        self._b = rng.randint(0, 1 << 32, size=num_perm, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        """MinHash signature (uint32, ``num_perm``) of a set of 32-bit hashes."""
        if hashes.size == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        if hashes.size > 4000:  # enormous texts: a stable subsample keeps the cost flat
            hashes = hashes[hashes % np.uint64(hashes.size // 2000 + 1) == 0]
        phv = (np.outer(hashes, self._a) + self._b) % _PRIME & _MAX32
        return phv.min(axis=0).astype(np.uint32)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


class LSHIndex:
    """Banded LSH over MinHash signatures with a ring buffer of ``capacity`` records."""

    def __init__(self, num_perm: int = 64, bands: int = 16, capacity: int = 200_000) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.bands = bands
        self.rows = num_perm // bands
        self.capacity = capacity
        self._sigs = np.zeros((capacity, num_perm), dtype=np.uint32)
        self._keys = np.zeros((capacity, bands), dtype=np.uint64)
        self._seq_at = np.full(capacity, -1, dtype=np.int64)
        self._tables: list[dict[int, int]] = [{} for _ in range(bands)]
        self._weights = (
            np.random.RandomState(7).randint(1, 1 << 62, size=self.rows, dtype=np.uint64) | 1
        )

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        m = sig.astype(np.uint64).reshape(self.bands, self.rows) * self._weights
        keys = m.sum(axis=1) * _BAND_MIX
        return keys ^ (keys >> np.uint64(29))

    def query(self, sig: np.ndarray, keys: np.ndarray) -> list[tuple[int, float]]:
        """Live records sharing a band with ``sig``: ``(seq, estimated Jaccard)``."""
        found: set[int] = set()
        for table, key in zip(self._tables, keys.tolist(), strict=True):
            seq = table.get(key)
            if seq is not None:
                found.add(seq)
        out: list[tuple[int, float]] = []
        for seq in found:
            slot = seq % self.capacity
            if self._seq_at[slot] != seq:
                continue
            out.append((seq, jaccard(sig, self._sigs[slot])))
        return out

    def insert(self, seq: int, sig: np.ndarray, keys: np.ndarray) -> None:
        slot = seq % self.capacity
        if self._seq_at[slot] >= 0:
            self.remove(int(self._seq_at[slot]))
        self._sigs[slot] = sig
        self._keys[slot] = keys
        self._seq_at[slot] = seq
        for table, key in zip(self._tables, keys.tolist(), strict=True):
            table[key] = seq

    def remove(self, seq: int) -> None:
        slot = seq % self.capacity
        if self._seq_at[slot] != seq:
            return
        for table, key in zip(self._tables, self._keys[slot].tolist(), strict=True):
            if table.get(key) == seq:
                del table[key]
        self._seq_at[slot] = -1

    def signature_of(self, seq: int) -> np.ndarray | None:
        slot = seq % self.capacity
        return self._sigs[slot] if self._seq_at[slot] == seq else None

    def __len__(self) -> int:
        return int(np.count_nonzero(self._seq_at >= 0))
