"""Receives notifications with oslo.messaging listeners for seedmq's interoperability test.

Usage: oslo_listen.py URL EXCHANGE TOPIC POOL_A POOL_B PUBLISHER_REGEX COUNT
Starts three listeners on TOPIC through EXCHANGE, each with an endpoint for info, warn and error
whose NotificationFilter matches PUBLISHER_REGEX: two in POOL_A (they share its queue) and one in
POOL_B. Prints "ready" once all consume, then waits until POOL_A's listeners together and POOL_B's
listener each received COUNT notifications (and a short quiet period, to catch extras) or 30 s
passed, and prints one JSON document: {"a1": [...], "a2": [...], "b": [...]}, each notification
as {priority, publisher_id, event_type, payload, ctxt, metadata}.
"""
import json
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging


class Endpoint(object):
    def __init__(self, regex, received, changed):
        self.filter_rule = oslo_messaging.NotificationFilter(publisher_id=regex)
        self.received = received
        self.changed = changed

    def _record(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        self.received.append({'priority': priority, 'publisher_id': publisher_id,
                              'event_type': event_type, 'payload': payload,
                              'ctxt': ctxt, 'metadata': metadata})
        self.changed.set()
        return oslo_messaging.NotificationResult.HANDLED

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._record('info', ctxt, publisher_id, event_type, payload, metadata)

    def warn(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._record('warn', ctxt, publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._record('error', ctxt, publisher_id, event_type, payload, metadata)


def main():
    url, exchange, topic, pool_a, pool_b, regex, count = sys.argv[1:8]
    count = int(count)
    conf = cfg.ConfigOpts()
    transport = oslo_messaging.get_notification_transport(conf, url=url)
    conf.set_override('control_exchange', exchange)
    targets = [oslo_messaging.Target(topic=topic, exchange=exchange)]
    changed = threading.Event()
    received = {'a1': [], 'a2': [], 'b': []}
    pools = {'a1': pool_a, 'a2': pool_a, 'b': pool_b}
    listeners = []
    try:
        for name in ('a1', 'a2', 'b'):
            listener = oslo_messaging.get_notification_listener(
                transport, targets, [Endpoint(regex, received[name], changed)],
                executor='threading', pool=pools[name])
            listener.start()
            listeners.append(listener)
        print('ready', flush=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if len(received['a1']) + len(received['a2']) >= count and len(received['b']) >= count:
                time.sleep(0.5)
                break
            changed.wait(0.2)
            changed.clear()
    finally:
        for listener in listeners:
            listener.stop()
            listener.wait()
        transport.cleanup()
    print(json.dumps(received), flush=True)


if __name__ == '__main__':
    main()
