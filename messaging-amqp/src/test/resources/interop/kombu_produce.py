"""Publishes kombu messages for seedmq's interoperability test.

Usage: kombu_produce.py URL QUEUE
Publishes, through the default exchange to QUEUE (declared by the test), one message per
payload below, each with kombu's own serialization rules: dicts and lists as JSON, a str with
no serializer as text/plain, bytes as application/data. Prints "published N" when done.
"""
import sys

from kombu import Connection

PAYLOADS = [
    ({"n": 1, "text": "h\u00e9llo \u2713", "list": [1, 2.5, None, True], "nested": {"a": {"b": []}}}, "json"),
    ([1, "two", {"three": 3}], "json"),
    ("plain text from kombu", None),
    (b"\x00\x01binary\xff", None),
]


def main():
    url, queue = sys.argv[1], sys.argv[2]
    with Connection(url) as conn:
        producer = conn.Producer()
        for payload, serializer in PAYLOADS:
            producer.publish(payload, exchange="", routing_key=queue, serializer=serializer,
                             headers={"source": "kombu"}, retry=True)
    print("published %d" % len(PAYLOADS))


if __name__ == "__main__":
    main()
