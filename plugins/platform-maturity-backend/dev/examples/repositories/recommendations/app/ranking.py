from collections.abc import Iterable


def rank_also_bought(
    counts: Iterable[tuple[str, int]], exclude: str, limit: int
) -> list[str]:
    """The products bought together most often, best first, ties broken by product id."""
    ranked = sorted(
        ((product, count) for product, count in counts if product != exclude and count > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return [product for product, _ in ranked[:limit]]
