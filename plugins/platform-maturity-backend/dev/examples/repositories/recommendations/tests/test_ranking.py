from app.ranking import rank_also_bought


def test_best_first_and_ties_by_id():
    counts = [("b", 3), ("a", 3), ("c", 7), ("d", 1)]
    assert rank_also_bought(counts, exclude="x", limit=3) == ["c", "a", "b"]


def test_leaves_out_the_product_itself_and_zero_counts():
    counts = [("self", 9), ("a", 0), ("b", 2)]
    assert rank_also_bought(counts, exclude="self", limit=5) == ["b"]
