"""Evaluate near-duplicate detection on tests/dedup/pairs.jsonl and time the signatures.

Prints markdown: a shingle-size sweep (exact Jaccard), precision/recall/F1 per threshold for the
MinHash estimate, the LSH index and exact Jaccard, the chosen threshold's row, and signature
throughput (hand-written numpy vs datasketch, if installed).

    /work/venv/bin/python bench/dedup_pairs.py
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import sqlite_utils

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive import dedup  # noqa: E402

PAIRS = REPO / "tests" / "dedup" / "pairs.jsonl"
SEEDS = REPO.parent / "shared" / "seeds"
THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(13)]


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(predicted: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(scores: list[float], truth: list[bool]) -> float:
    """Highest F1 on the grid; among ties the middle of the plateau (margin on both sides)."""
    f1s = [prf([s >= t for s in scores], truth)[2] for t in THRESHOLDS]
    top = max(f1s)
    tied = [t for t, f in zip(THRESHOLDS, f1s, strict=True) if f == top]
    return tied[len(tied) // 2]


def shingle_sweep(pairs: list[dict], truth: list[bool]) -> list[str]:
    out = [
        "| k | positives min / mean | distinct max / mean | same-genre distinct max | best F1 |",
        "|---|---|---|---|---|",
    ]
    for k in (3, 4, 5, 6, 8):
        scores = [dedup.exact_jaccard(p["a"], p["b"], k) for p in pairs]
        pos = [s for s, t in zip(scores, truth, strict=True) if t]
        neg = [s for s, t in zip(scores, truth, strict=True) if not t]
        genre = [
            s
            for s, p, t in zip(scores, pairs, truth, strict=True)
            if not t and "shared-boilerplate" not in p["id"]
        ]
        f1 = max(prf([s >= t for s in scores], truth)[2] for t in THRESHOLDS)
        out.append(
            f"| {k} | {min(pos):.3f} / {statistics.mean(pos):.3f} | "
            f"{max(neg):.3f} / {statistics.mean(neg):.3f} | {max(genre):.3f} | {f1:.3f} |"
        )
    return out


def index_predictions(pairs: list[dict], threshold: float) -> list[bool]:
    """Run the real NearDuplicateIndex (LSH + signature check) on each pair in memory."""
    predicted = []
    for p in pairs:
        db = sqlite_utils.Database(sqlite3.connect(":memory:"))
        index = dedup.NearDuplicateIndex(db, threshold=threshold)
        index.add(1, p["a"])
        predicted.append(any(doc == 1 for doc, _ in index.add(2, p["b"])))
    return predicted


def synthetic_texts(n: int = 1000, size: int = 3000) -> list[str]:
    """~size-char texts stitched from real report sentences (deterministic)."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        sentences += [s + "。" for s in path.read_text(encoding="utf-8").split("。") if len(s) > 20]
    rng = random.Random(1)
    texts = []
    for _ in range(n):
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            parts.append(rng.choice(sentences))
        texts.append("".join(parts)[:size])
    return texts


def throughput() -> list[str]:
    texts = synthetic_texts()
    long_doc = "".join(synthetic_texts(4, 2500))[:10000]
    out = [
        "| implementation | signatures/s (1,000 x 3,000 chars) | ms per 10,000-char doc |",
        "|---|---|---|",
    ]

    def hand(text: str):
        return dedup.signature(text)

    impls = [("hand-written numpy (archive.dedup)", hand)]
    try:
        from datasketch import MinHash

        def ds(text: str):
            norm = dedup.normalise_for_matching(text)
            k = dedup.SHINGLE_SIZE
            shingles = {norm[i : i + k].encode() for i in range(len(norm) - k + 1)}
            m = MinHash(num_perm=dedup.NUM_PERM, seed=1)
            m.update_batch(list(shingles))
            return m

        impls.append(("datasketch MinHash.update_batch", ds))
    except ImportError:
        out.append("| datasketch | not installed | |")
    for name, fn in impls:
        fn(texts[0])
        start = time.perf_counter()
        for text in texts:
            fn(text)
        rate = len(texts) / (time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(50):
            fn(long_doc)
        ms = (time.perf_counter() - start) / 50 * 1000
        out.append(f"| {name} | {rate:,.0f} | {ms:.2f} |")
    return out


def main() -> None:
    pairs = load_pairs()
    truth = [p["label"] == "near-duplicate" for p in pairs]
    print(f"# Near-duplicate detection on {PAIRS.relative_to(REPO)}\n")
    print(
        f"{len(pairs)} pairs: {sum(truth)} near-duplicate, {len(truth) - sum(truth)} distinct. "
        f"k={dedup.SHINGLE_SIZE}, num_perm={dedup.NUM_PERM}, "
        f"LSH {dedup.BANDS} bands x {dedup.ROWS} rows.\n"
    )

    print("## Shingle size (exact Jaccard)\n")
    print("\n".join(shingle_sweep(pairs, truth)) + "\n")

    exact = [dedup.exact_jaccard(p["a"], p["b"]) for p in pairs]
    sigs = [(dedup.signature(p["a"]), dedup.signature(p["b"])) for p in pairs]
    est = [dedup.estimated_jaccard(a, b) for a, b in sigs]
    lsh = [
        any(x == y for x, y in zip(dedup.band_buckets(a), dedup.band_buckets(b), strict=True))
        for a, b in sigs
    ]

    print("## Precision / recall / F1 by threshold\n")
    print("| threshold | MinHash P | R | F1 | LSH index P | R | F1 | exact Jaccard P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for t in THRESHOLDS:
        cols = []
        for predicted in (
            [s >= t for s in est],
            [c and s >= t for c, s in zip(lsh, est, strict=True)],
            [s >= t for s in exact],
        ):
            cols += [f"{v:.3f}" for v in prf(predicted, truth)]
        mark = " **(chosen)**" if t == dedup.NEAR_DUPLICATE_THRESHOLD else ""
        print(f"| {t:.2f}{mark} | " + " | ".join(cols) + " |")

    chosen = dedup.NEAR_DUPLICATE_THRESHOLD
    print(
        f"\nRule (best F1 of the MinHash estimate, middle of ties): "
        f"{best_threshold(est, truth):.2f}; module constant: {chosen:.2f}\n"
    )
    p, r, f = prf(index_predictions(pairs, chosen), truth)
    print(
        f"**Chosen threshold {chosen:.2f}, real NearDuplicateIndex (SQLite, LSH + signature): "
        f"precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}**\n"
    )

    pos = sorted((s, p["id"]) for s, p, t in zip(est, pairs, truth, strict=True) if t)
    neg = sorted((s, p["id"]) for s, p, t in zip(est, pairs, truth, strict=True) if not t)
    print("Closest to the threshold (estimated Jaccard):\n")
    for s, pid in pos[:3]:
        print(f"- near-duplicate {pid}: {s:.3f}")
    for s, pid in neg[-3:][::-1]:
        print(f"- distinct {pid}: {s:.3f}")

    print("\n## Signature speed\n")
    print("\n".join(throughput()))


if __name__ == "__main__":
    main()
