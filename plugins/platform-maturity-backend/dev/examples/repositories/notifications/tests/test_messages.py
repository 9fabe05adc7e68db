import pytest

from notifications.messages import order_placed


def test_order_placed_mentions_the_order_and_total():
    message = order_placed({"orderId": "A-1042", "totalMinor": 2599}, recipient="ana@example.com")
    assert message.channel == "email"
    assert "A-1042" in message.body
    assert "25.99 GBP" in message.body


def test_missing_fields_are_an_error_not_an_empty_message():
    with pytest.raises(KeyError):
        order_placed({"orderId": "A-1043"}, recipient="ana@example.com")
