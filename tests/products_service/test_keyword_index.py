from products_service.keyword_index import KeywordIndex, tokenize


def test_tokenize_folds_plurals_and_drops_stop_words() -> None:
    assert tokenize("The Tents and Batteries for me") == ["tent", "battery"]


def test_bm25_ranks_term_matches_and_forgets_removed() -> None:
    index = KeywordIndex()
    index.upsert(1, "Ridgeline tent two person backpacking tent")
    index.upsert(2, "Canister stove for cooking")
    index.upsert(3, "Tent stakes, aluminium")
    hits = index.search("backpacking tent", 5)
    assert [pid for pid, _ in hits][:2] == [1, 3]
    assert 2 not in {pid for pid, _ in hits}
    index.remove(1)
    assert [pid for pid, _ in index.search("backpacking tent", 5)] == [3]
    index.upsert(3, "a stove windscreen")
    assert index.search("tent", 5) == []
    assert len(index) == 2


def test_compiled_terms_follow_later_writes() -> None:
    index = KeywordIndex()
    index.upsert(1, "tent stakes")
    index.upsert(2, "stove")
    index.compile_all()
    assert [pid for pid, _ in index.search("tent", 5)] == [1]
    index.upsert(3, "dome tent")
    index.remove(1)
    assert [pid for pid, _ in index.search("tent", 5)] == [3]
