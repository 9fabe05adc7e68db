import asyncio
import json
import logging

import httpx
from aiokafka import AIOKafkaConsumer
from pydantic_settings import BaseSettings

from notifications.messages import order_placed

log = logging.getLogger("notifications")


class Settings(BaseSettings):
    kafka_bootstrap: str = "kafka.platform.svc.cluster.local:9092"
    customers_url: str = "http://customers.shop.svc.cluster.local"
    sender_url: str = "http://mail-relay.messaging.svc.cluster.local/send"


async def run(settings: Settings) -> None:
    consumer = AIOKafkaConsumer(
        "orders.placed", bootstrap_servers=settings.kafka_bootstrap, group_id="notifications"
    )
    await consumer.start()
    async with httpx.AsyncClient(timeout=10) as http:
        try:
            async for record in consumer:
                event = json.loads(record.value)
                customer = (await http.get(f"{settings.customers_url}/customers/{event['customerId']}")).json()
                message = order_placed(event, recipient=customer["email"])
                response = await http.post(settings.sender_url, json=message.__dict__)
                response.raise_for_status()
        finally:
            await consumer.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run(Settings()))
