"""Near-duplicate detection: normalisation, deterministic signatures, the SQLite index, quality."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import sqlite_utils

from archive import dedup
from archive.dedup import (
    NEAR_DUPLICATE_THRESHOLD,
    NearDuplicateIndex,
    normalise_for_matching,
    text_fingerprint,
)

PAIRS = Path(__file__).parent / "dedup" / "pairs.jsonl"


def load_pairs() -> list[dict]:
    with PAIRS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return load_pairs()


def report(pairs: list[dict], prefix: str) -> tuple[str, str]:
    pair = next(p for p in pairs if p["id"].startswith(prefix))
    return pair["a"], pair["b"]


# -- normalisation ------------------------------------------------------------------------------


def test_normalise_ignores_whitespace_punctuation_and_width():
    a = "2023年，县司法局坚持以习近平法治思想为指导（全面）：报备率达到100%。\n\n　　ABC"
    b = "2023年,县司法局 坚持以习近平法治思想为指导(全面):报备率达到100%.\tａｂｃ"
    assert normalise_for_matching(a) == normalise_for_matching(b)
    assert (
        normalise_for_matching(a) == "2023年县司法局坚持以习近平法治思想为指导全面报备率达到100abc"
    )
    assert text_fingerprint(a) == text_fingerprint(b)
    assert len(text_fingerprint(a)) == 64


def test_normalise_drops_cjk_brackets_quotes_and_symbols():
    text = "“谁执法谁普法”《行政复议法》【打印】「互联网+监管」〔2023〕7号·、…—"
    assert normalise_for_matching(text) == "谁执法谁普法行政复议法打印互联网监管20237号"


def test_fingerprint_differs_for_different_text():
    assert text_fingerprint("汶上县司法局") != text_fingerprint("鲁山县司法局")


# -- signatures -----------------------------------------------------------------------------------


def test_signature_is_deterministic_and_well_formed(pairs):
    text, _ = report(pairs, "pos-wenshang2023-city-repost")
    sig = dedup.signature(text)
    assert sig.dtype == np.uint32 and sig.shape == (dedup.NUM_PERM,)
    assert np.array_equal(sig, dedup.signature(text))
    # insensitive to what normalisation removes
    assert np.array_equal(sig, dedup.signature(text.replace("，", ",").replace("\n", "\n\n  ")))


def test_chunked_signature_equals_unchunked(pairs):
    text, _ = report(pairs, "pos-suixi2023-city-repost")
    hashes = dedup.shingle_hashes(normalise_for_matching(text))
    assert hashes.size > 100
    assert np.array_equal(
        dedup.signature_from_hashes(hashes, chunk=37), dedup.signature_from_hashes(hashes)
    )


def test_estimate_tracks_exact_jaccard(pairs):
    for pair in pairs[::5]:
        est = dedup.estimated_jaccard(dedup.signature(pair["a"]), dedup.signature(pair["b"]))
        # 128 permutations: standard error <= 0.045; 4 sigma
        assert abs(est - dedup.exact_jaccard(pair["a"], pair["b"])) < 0.18, pair["id"]


def test_signatures_identical_across_index_instances(tmp_path, pairs):
    text, _ = report(pairs, "pos-xiangdu2023-city-repost")
    one = NearDuplicateIndex(tmp_path / "one.db")
    two = NearDuplicateIndex(tmp_path / "two.db")
    one.add(7, text)
    two.add(7, text)
    assert one.signature_of(7) is not None
    assert np.array_equal(one.signature_of(7), two.signature_of(7))
    blobs = [
        sqlite3.connect(tmp_path / name)
        .execute("SELECT signature FROM minhash_signatures WHERE document_id = 7")
        .fetchone()[0]
        for name in ("one.db", "two.db")
    ]
    assert blobs[0] == blobs[1] and len(blobs[0]) == 4 * dedup.NUM_PERM


# -- the index ------------------------------------------------------------------------------------


def test_schema(tmp_path):
    index = NearDuplicateIndex(tmp_path / "idx.db")
    db = index.db
    assert {"minhash_signatures", "minhash_buckets", "minhash_meta"} <= set(db.table_names())
    assert db["minhash_signatures"].pks == ["document_id"]
    assert db["minhash_buckets"].pks == ["bucket", "document_id"]


def test_add_finds_repost_and_not_other_county(tmp_path, pairs):
    original, repost = report(pairs, "pos-wenshang2023-city-repost")
    other, _ = report(pairs, "pos-lushan2023-city-repost")
    index = NearDuplicateIndex(tmp_path / "idx.db")
    assert index.add(1, original) == []
    assert index.add(2, other) == []
    found = index.add(3, repost)
    assert [doc for doc, _ in found] == [1]
    assert found[0][1] >= NEAR_DUPLICATE_THRESHOLD
    assert [doc for doc, _ in index.similar(1)] == [3]
    assert index.similar(2) == []


def test_results_best_first_and_exclude_self(tmp_path, pairs):
    original, repost = report(pairs, "pos-xiangdu2023-city-repost")
    _, dropped = report(pairs, "pos-xiangdu2023-para-dropped")
    index = NearDuplicateIndex(tmp_path / "idx.db")
    index.add(1, original)
    index.add(2, dropped)
    found = index.add(3, repost)
    assert {doc for doc, _ in found} == {1, 2}
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    assert all(doc != 3 for doc, _ in index.similar(3))


def test_exact_copy_scores_one(tmp_path, pairs):
    original, _ = report(pairs, "pos-qingyuan2021-width-space")
    index = NearDuplicateIndex(tmp_path / "idx.db")
    index.add(1, original)
    assert index.add(2, original.replace("，", ",")) == [(1, 1.0)]


def test_persistence_reopen(tmp_path, pairs):
    original, repost = report(pairs, "pos-suixi2023-city-repost")
    path = tmp_path / "idx.db"
    index = NearDuplicateIndex(path)
    index.add(10, original)
    index.db.conn.close()

    reopened = NearDuplicateIndex(path)
    assert [doc for doc, _ in reopened.add(11, repost)] == [10]
    reopened.db.conn.close()
    again = NearDuplicateIndex(sqlite_utils.Database(path))
    assert [doc for doc, _ in again.similar(10)] == [11]


def test_reopen_with_other_parameters_refused(tmp_path, monkeypatch):
    path = tmp_path / "idx.db"
    NearDuplicateIndex(path).db.conn.close()
    monkeypatch.setattr(dedup, "NUM_PERM", 64)
    with pytest.raises(ValueError, match="other MinHash parameters"):
        NearDuplicateIndex(path)


def test_replace_and_remove(tmp_path, pairs):
    wenshang, wenshang_repost = report(pairs, "pos-wenshang2023-city-repost")
    lushan, lushan_repost = report(pairs, "pos-lushan2023-city-repost")
    index = NearDuplicateIndex(tmp_path / "idx.db")
    index.add(1, wenshang)
    index.add(2, lushan_repost)
    assert [doc for doc, _ in index.similar(1)] == []

    # document 1 is re-captured with different text: old signature and bands are replaced
    assert [doc for doc, _ in index.add(1, lushan)] == [2]
    assert index.db["minhash_buckets"].count_where("document_id = 1") == dedup.BANDS
    assert index.db["minhash_signatures"].count == 2
    assert index.add(3, wenshang_repost) == []

    index.remove(2)
    assert index.similar(1) == []
    assert index.db["minhash_buckets"].count_where("document_id = 2") == 0
    assert index.signature_of(2) is None
    index.remove(2)  # idempotent
    assert index.similar(999) == []


def test_short_texts_not_matched(tmp_path):
    short = "关于印发汶上县2024年法治政府建设工作要点的通知"
    assert len(normalise_for_matching(short)) < dedup.MIN_MATCH_CHARS
    index = NearDuplicateIndex(tmp_path / "idx.db")
    assert index.add(1, short) == []
    assert index.add(2, short) == []
    assert index.similar(1) == []
    assert index.signature_of(1) is None


def test_replacing_with_short_text_removes_document(tmp_path, pairs):
    original, repost = report(pairs, "pos-lushan2023-city-repost")
    index = NearDuplicateIndex(tmp_path / "idx.db")
    index.add(1, original)
    index.add(1, "页面不存在")
    assert index.add(2, repost) == []


def test_shares_a_database_with_other_tables(tmp_path, pairs):
    db = sqlite_utils.Database(tmp_path / "archive.db")
    db["documents"].insert({"id": 1, "title": "x"}, pk="id")
    original, repost = report(pairs, "pos-pingtan2022-city-repost")
    index = NearDuplicateIndex(db)
    index.add(1, original)
    assert [doc for doc, _ in index.add(2, repost)] == [1]
    assert db["documents"].count == 1


# -- quality on the labelled pairs ---------------------------------------------------------------


def test_pairs_file_is_well_formed(pairs):
    assert len(pairs) >= 60
    assert len({p["id"] for p in pairs}) == len(pairs)
    labels = [p["label"] for p in pairs]
    assert set(labels) == {"near-duplicate", "distinct"}
    assert labels.count("near-duplicate") >= 20 and labels.count("distinct") >= 20
    assert all(p["why"] and p["a"] and p["b"] for p in pairs)


def test_detector_precision_recall_on_labelled_pairs(tmp_path, pairs):
    """Each pair through a real index file at the module threshold: P >= 0.95, R >= 0.9."""
    tp = fp = fn = 0
    for n, pair in enumerate(pairs):
        index = NearDuplicateIndex(tmp_path / f"pair{n}.db")
        index.add(1, pair["a"])
        predicted = any(doc == 1 for doc, _ in index.add(2, pair["b"]))
        actual = pair["label"] == "near-duplicate"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        index.db.conn.close()
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= 0.95, (precision, recall)
    assert recall >= 0.9, (precision, recall)


def test_all_pairs_in_one_index(tmp_path, pairs):
    """Everything in one index: a text's matches are only its labelled near-duplicates."""
    index = NearDuplicateIndex(tmp_path / "all.db")
    texts: dict[str, int] = {}
    for pair in pairs:
        for side in ("a", "b"):
            texts.setdefault(pair[side], len(texts) + 1)
    for text, doc in texts.items():
        index.add(doc, text)
    for pair in pairs:
        a, b = texts[pair["a"]], texts[pair["b"]]
        matched = b in {doc for doc, _ in index.similar(a)}
        if pair["label"] == "distinct":
            assert not matched, pair["id"]
