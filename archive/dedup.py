"""Near-duplicate detection for reposted reports: MinHash over character shingles + LSH.

The same report is reposted by a county, its prefecture and a department, each copy wrapped in
different boilerplate (来源/发布时间 lines, 转发 headings, 附件 lists) and lightly edited. Exact
copies are caught by `text_fingerprint` (sha256 of the normalised text); this module finds the
rest.

Design (numbers from `bench/dedup_pairs.py` on the labelled `tests/dedup/pairs.jsonl`):

- Matching text is NFKC-folded, lower-cased and stripped of every whitespace, punctuation,
  symbol and control character, so full/half-width punctuation and line wrapping do not matter.
- Shingles are SHINGLE_SIZE=5 consecutive characters (Chinese has no spaces, so no words).
  Different reports of the same genre share stock phrases: their Jaccard averages 0.06 at k=3
  (max 0.19) but 0.03 at k=5 (max 0.14), so k<5 wastes LSH candidates and threshold margin.
  k=6..8 separate the pairs no better than 5 while every edited character breaks k shingles,
  so 5 is the smallest k past the knee.
- NUM_PERM=128 permutations of the hashed shingles, signatures stored as 128 uint32 (512 bytes).
  Permutation parameters are derived with blake2b from a fixed seed, not from a numpy RNG, so
  signatures are identical on every machine and numpy version (`SIGNATURE_VERSION` guards the
  stored ones).
- The signature is hand-written and numpy-vectorised rather than `datasketch`: shingles are
  hashed with a vectorised polynomial hash + splitmix64 finaliser and permuted with
  multiply-add-shift hashing ((a*x + b) mod 2**64) >> 32, one (unique shingles x 128) matrix
  operation. Measured for a 10,000-character document: ~2.9 ms including ~2 ms of NFKC
  normalisation, versus ~7.6 ms for `datasketch.MinHash.update_batch` (its per-shingle sha1 in
  Python dominates) and ~65 ms for `MinHash.update` in a loop; ~900-1,100 vs ~400
  signatures/s on 3,000-character texts (2 cores, varies run to run). It also avoids datasketch and its scipy requirement; numpy suffices.
- LSH: BANDS=32 bands x ROWS=4 rows. A pair at Jaccard s becomes a candidate with probability
  1-(1-s**4)**32: 0.74 at s=0.45, 0.87 at 0.5, 0.95 at 0.55, 0.99 at 0.6 (the labelled
  near-duplicates have s >= 0.55, mean 0.9), but only ~4e-4 at s=0.06, the mean between
  unrelated reports of one genre. ROWS=3 would catch the 0.45-0.55 band better, but at a
  million documents it makes ~10x more candidates per insert (s=0.06: 0.9 % of all documents)
  and ingest slows down with the archive's size.
- Buckets are one table `minhash_buckets(bucket, document_id)` WITHOUT ROWID, the band number
  folded into the 64-bit bucket key: one b-tree, ~20 bytes per (document, band), no separate
  document index (a document's rows are found again from its stored signature).
- NEAR_DUPLICATE_THRESHOLD: see its comment; chosen on the labelled pairs.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from contextlib import nullcontext
from functools import cache
from pathlib import Path

import numpy as np
import sqlite_utils

SHINGLE_SIZE = 5
NUM_PERM = 128
BANDS = 32
ROWS = 4
SEED = 20240228
SIGNATURE_VERSION = 2
# Texts shorter than this (normalised characters) are not near-dup matched: a title or a one-line
# notice shares most of its shingles with any other of its kind.
MIN_MATCH_CHARS = 50
# Chosen on tests/dedup/pairs.jsonl (78 pairs: 44 near-duplicate, 34 distinct) with
# bench/dedup_pairs.py: estimated Jaccard >= 0.45 gave precision 1.00, recall 1.00, F1 1.00
# (also through the LSH index). 0.40, 0.45 and 0.50 all score 1.00; 0.45 is the middle of that
# plateau. Lowest near-duplicate: 0.51 (a repost missing a third of the text, with edits);
# highest distinct: 0.38 (two work plans sharing ~40% boilerplate). At 0.35 precision drops to
# 0.96, at 0.55 recall to 0.98.
NEAR_DUPLICATE_THRESHOLD = 0.45
# At most this many LSH candidates are scored per document (those sharing the most bands). A
# text reposted on thousands of portals would otherwise be compared with every earlier copy,
# and ingest would slow down with the square of the cluster's size.
MAX_CANDIDATES = 200

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_POLY = np.uint64(0x9E3779B97F4A7C15)


@cache
def _strip_pattern() -> re.Pattern[str]:
    """One regex class of every BMP code point in Unicode categories P, S, Z and C."""
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for cp in range(0x10000):
        drop = unicodedata.category(chr(cp))[0] in "PSZC" and not 0xD800 <= cp <= 0xDFFF
        if drop and start is None:
            start = cp
        elif not drop and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0xFFFF))
    parts = (
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile("[" + "".join(parts) + "]+")


def normalise_for_matching(text: str, *, nfkc: bool = False) -> str:
    """NFKC, lower-case, drop whitespace/punctuation/symbols/controls (any width).

    Matching must not care whether a repost used ，or , or extra line breaks, so all of it goes.
    `nfkc=True`: the text is already NFKC-normalised (the archive normalises once per record).
    """
    if not nfkc:
        text = unicodedata.normalize("NFKC", text)
    text = _strip_pattern().sub("", text).lower()
    if text and max(text) > "\uffff":  # rare astral characters (emoji, ext. CJK): check each
        text = "".join(c for c in text if unicodedata.category(c)[0] not in "PSZC")
    return text


def text_fingerprint(text: str) -> str:
    """sha256 hex of the normalised text: equal for exact duplicates up to punctuation/space."""
    return hashlib.sha256(normalise_for_matching(text).encode("utf-8")).hexdigest()


def _permutation_params(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) 64-bit parameters from blake2b(seed, i): machine- and numpy-version-independent."""
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for i in range(num_perm):
        d = hashlib.blake2b(f"{seed}:{i}".encode(), digest_size=16).digest()
        a[i] = int.from_bytes(d[:8], "little") | 1  # odd multiplier
        b[i] = int.from_bytes(d[8:], "little")
    return a, b


_PERM_A, _PERM_B = _permutation_params(NUM_PERM, SEED)


def shingle_hashes(normalised: str, k: int = SHINGLE_SIZE) -> np.ndarray:
    """Unique 32-bit hashes of the k-character shingles of an already normalised string."""
    cps = np.frombuffer(normalised.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = cps.size - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):  # polynomial hash of each window, wrapping mod 2**64
        h = h * _POLY + cps[j : j + n]
    # splitmix64 finaliser: spreads the polynomial hash over all 64 bits
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return np.unique(h >> np.uint64(32))


def signature_from_hashes(hashes: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32) of a set of 32-bit shingle hashes.

    Permutations are multiply-add-shift hashes ((a*x + b) mod 2**64) >> 32, a 2-independent
    family. The shift is monotone, so it is applied after the minimum; the matrix is laid out
    permutations x shingles so the minimum runs along contiguous memory (3x faster than the
    transpose), in chunks so a huge document does not allocate a huge matrix.
    """
    if hashes.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    best = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    buf = np.empty((NUM_PERM, min(chunk, hashes.size)), dtype=np.uint64)
    a = _PERM_A[:, None]
    b = _PERM_B[:, None]
    for start in range(0, hashes.size, chunk):
        x = hashes[None, start : start + chunk]
        block = buf[:, : x.shape[1]]
        np.multiply(a, x, out=block)
        np.add(block, b, out=block)
        np.minimum(best, block.min(axis=1), out=best)
    return (best >> np.uint64(32)).astype(np.uint32)


def minhash_of(text: str, *, nfkc: bool = False) -> np.ndarray | None:
    """The signature the index stores for a text; None when it is too short to be matched."""
    normalised = normalise_for_matching(text, nfkc=nfkc)
    if len(normalised) < MIN_MATCH_CHARS:
        return None
    return signature_from_hashes(shingle_hashes(normalised))


def signature(text: str) -> np.ndarray:
    """MinHash signature of a raw text (normalised here)."""
    return signature_from_hashes(shingle_hashes(normalise_for_matching(text)))


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Fraction of equal signature positions: an unbiased estimate of the Jaccard similarity."""
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.size


def exact_jaccard(text_a: str, text_b: str, k: int = SHINGLE_SIZE) -> float:
    """Exact Jaccard of the shingle sets (reference for the benchmark and tests)."""
    a = set(shingle_hashes(normalise_for_matching(text_a), k).tolist())
    b = set(shingle_hashes(normalise_for_matching(text_b), k).tolist())
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def band_buckets(sig: np.ndarray) -> list[int]:
    """One signed 64-bit bucket key per band: blake2b of the band number and its ROWS values."""
    raw = sig.astype("<u4").tobytes()
    width = ROWS * 4
    return [
        int.from_bytes(
            hashlib.blake2b(
                bytes([i]) + raw[i * width : (i + 1) * width], digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for i in range(BANDS)
    ]


class NearDuplicateIndex:
    """Persistent, incremental MinHash-LSH index in a SQLite file (or an open Database).

    Pass the archive's own `sqlite_utils.Database` to keep the index beside the documents; a
    path opens its own connection (WAL mode). Each add()/remove() is one transaction.

    Tables: `minhash_signatures(document_id PK, signature BLOB)`,
    `minhash_buckets(bucket, document_id)` (WITHOUT ROWID), and `minhash_meta`
    recording the parameters, so an index built with other parameters is refused instead of
    silently returning nonsense.
    """

    def __init__(
        self,
        db: sqlite_utils.Database | str | Path,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
    ):
        if isinstance(db, sqlite_utils.Database):
            self.db = db
        else:
            self.db = sqlite_utils.Database(sqlite3.connect(str(db), check_same_thread=False))
            # as archive.store does: one commit per add() must not cost an fsync each
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.threshold = threshold
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        db = self.db
        names = set(db.table_names())
        meta = {
            "shingle_size": str(SHINGLE_SIZE),
            "num_perm": str(NUM_PERM),
            "bands": str(BANDS),
            "rows": str(ROWS),
            "seed": str(SEED),
            "signature_version": str(SIGNATURE_VERSION),
        }
        if "minhash_meta" not in names:
            db["minhash_meta"].insert_all(
                [{"key": k, "value": v} for k, v in meta.items()], pk="key"
            )
        else:
            stored = {r["key"]: r["value"] for r in db["minhash_meta"].rows}
            if stored != meta:
                raise ValueError(f"index built with other MinHash parameters: {stored}")
        if "minhash_signatures" not in names:
            db["minhash_signatures"].create(
                {"document_id": int, "signature": bytes}, pk="document_id"
            )
        if "minhash_buckets" not in names:
            db.execute(
                "CREATE TABLE minhash_buckets (bucket INTEGER NOT NULL, "
                "document_id INTEGER NOT NULL, PRIMARY KEY (bucket, document_id)) WITHOUT ROWID"
            )

    # -- writes -----------------------------------------------------------------------------

    def add(self, document_id: int, text: str, *, nfkc: bool = False) -> list[tuple[int, float]]:
        """Store (or replace) a document; return [(other_id, est. Jaccard)] >= threshold.

        `nfkc=True`: `text` is already NFKC-normalised."""
        return self.add_signature(document_id, minhash_of(text, nfkc=nfkc))

    def add_signature(
        self, document_id: int, sig: np.ndarray | None, *, replace: bool = True
    ) -> list[tuple[int, float]]:
        """`add` with the signature computed beforehand (`minhash_of`, maybe in another
        process); None for a text too short to match. `replace=False`: the document is known
        not to be in the index yet."""
        # inside the archive's transaction: no savepoint (it would flush the FTS index each time)
        tx = nullcontext() if self.db.conn.in_transaction else self.db.atomic()
        with tx:
            if replace:
                self._delete(document_id)
            if sig is None:
                return []
            buckets = band_buckets(sig)
            self.db.execute(
                "INSERT INTO minhash_signatures (document_id, signature) VALUES (?, ?)",
                [document_id, sig.astype("<u4").tobytes()],
            )
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO minhash_buckets (bucket, document_id) VALUES (?, ?)",
                [(bucket, document_id) for bucket in buckets],
            )
        return self._matches(document_id, sig, buckets)

    def remove(self, document_id: int) -> None:
        """Forget a document (no error if it was never added)."""
        with self.db.atomic():
            self._delete(document_id)

    def _delete(self, document_id: int) -> None:
        old = self.signature_of(document_id)
        if old is None:
            return
        self.db.conn.executemany(
            "DELETE FROM minhash_buckets WHERE bucket = ? AND document_id = ?",
            [(bucket, document_id) for bucket in band_buckets(old)],
        )
        self.db.execute("DELETE FROM minhash_signatures WHERE document_id = ?", [document_id])

    # -- reads ------------------------------------------------------------------------------

    def signature_of(self, document_id: int) -> np.ndarray | None:
        row = self.db.execute(
            "SELECT signature FROM minhash_signatures WHERE document_id = ?", [document_id]
        ).fetchone()
        return None if row is None else np.frombuffer(row[0], dtype="<u4").copy()

    def similar(self, document_id: int) -> list[tuple[int, float]]:
        """Stored near-duplicates of a stored document, best first ([] if unknown/short)."""
        sig = self.signature_of(document_id)
        if sig is None:
            return []
        return self._matches(document_id, sig, band_buckets(sig))

    def _matches(
        self, document_id: int, sig: np.ndarray, buckets: list[int]
    ) -> list[tuple[int, float]]:
        # Candidates sharing the most bands first: the number of shared bands grows with the
        # similarity, so the cap drops the least similar when a text was reposted hundreds of
        # times (a provincial notice on every county portal) instead of scoring all of them.
        marks = ", ".join("?" * len(buckets))
        ids = [
            r[0]
            for r in self.db.execute(
                f"SELECT document_id FROM minhash_buckets WHERE bucket IN ({marks}) "
                "AND document_id != ? GROUP BY document_id "
                "ORDER BY COUNT(*) DESC, document_id LIMIT ?",
                [*buckets, document_id, MAX_CANDIDATES],
            )
        ]
        return [(i, score) for i, score in self.scores(sig, ids) if score >= self.threshold]

    def scores(self, sig: np.ndarray | None, ids: list[int]) -> list[tuple[int, float]]:
        """[(id, estimated Jaccard with `sig`)] for the stored documents among `ids`, best first."""
        if sig is None or not ids:
            return []
        rows = self.db.execute(
            "SELECT document_id, signature FROM minhash_signatures "
            f"WHERE document_id IN ({', '.join('?' * len(ids))})",
            ids,
        ).fetchall()
        if not rows:
            return []
        others = np.frombuffer(b"".join(blob for _, blob in rows), dtype="<u4").reshape(-1, sig.size)
        scores = np.count_nonzero(others == sig, axis=1) / sig.size  # estimated_jaccard, all at once
        found = [(other_id, float(score)) for (other_id, _), score in zip(rows, scores, strict=True)]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found
