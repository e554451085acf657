"""The pika tutorial's new_task.py (work queues), as the seeds write it."""
import os
import sys

import pika

# The tutorial connects to localhost; the interop test names its broker in AMQP_URL.
connection = pika.BlockingConnection(pika.URLParameters(os.environ.get("AMQP_URL", "amqp://guest:guest@localhost:5672/%2F")))
channel = connection.channel()

channel.queue_declare(queue="task_queue", durable=True)

message = " ".join(sys.argv[1:]) or "Hello World!"
channel.basic_publish(
    exchange="",
    routing_key="task_queue",
    body=message,
    properties=pika.BasicProperties(delivery_mode=2),  # make message persistent
)
print(f" [x] Sent {message}")
connection.close()
