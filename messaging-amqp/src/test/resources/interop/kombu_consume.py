"""Consumes seedmq messages with kombu for seedmq's interoperability test.

Usage: kombu_consume.py URL QUEUE COUNT
Consumes COUNT messages from QUEUE (declared by the test, so not re-declared here), decoding
each with kombu's own deserialization, and prints one JSON document: a list of objects with
the decoded payload and the AMQP properties kombu saw.
"""
import json
import sys

from kombu import Connection, Consumer, Queue


def main():
    url, queue_name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    received = []

    def on_message(body, message):
        if isinstance(body, bytes):
            body = {"__bytes__": list(body)}
        received.append({
            "payload": body,
            "content_type": message.content_type,
            "content_encoding": message.content_encoding,
            "delivery_mode": message.properties.get("delivery_mode"),
            "headers": message.headers,
            "correlation_id": message.properties.get("correlation_id"),
        })
        message.ack()

    with Connection(url) as conn:
        queue = Queue(queue_name, no_declare=True)
        with Consumer(conn, queues=[queue], callbacks=[on_message], accept=["json", "text/plain", "application/octet-stream"]):
            while len(received) < count:
                conn.drain_events(timeout=10)
    print(json.dumps(received))


if __name__ == "__main__":
    main()
