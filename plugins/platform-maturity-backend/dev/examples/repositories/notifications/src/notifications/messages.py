from dataclasses import dataclass

from jinja2 import Environment, StrictUndefined

_templates = Environment(undefined=StrictUndefined, autoescape=True)

ORDER_PLACED = _templates.from_string(
    "Thank you for your order {{ order_id }}. "
    "We will let you know when it ships. Total: {{ '%.2f' | format(total_minor / 100) }} {{ currency }}."
)


@dataclass(frozen=True)
class Message:
    channel: str
    recipient: str
    body: str


def order_placed(event: dict, recipient: str, channel: str = "email") -> Message:
    """The message telling a customer that their order was placed."""
    return Message(
        channel=channel,
        recipient=recipient,
        body=ORDER_PLACED.render(
            order_id=event["orderId"],
            total_minor=event["totalMinor"],
            currency=event.get("currency", "GBP"),
        ),
    )
