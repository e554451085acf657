"""An oslo.messaging RPC server for seedmq's interop tests.

Usage: oslo_rpc_server.py URL EXCHANGE TOPIC SERVER [ping]
With "ping", rpc_ping_enabled is on: the server answers oslo_rpc_server_ping with "pong".
Prints "ready" once it listens, then one JSON line per cast it receives; runs until SIGTERM.
"""
import json
import signal
import sys
import threading

from oslo_config import cfg
import oslo_messaging as messaging

url, exchange, topic, server_name = sys.argv[1:5]
ping = sys.argv[5:6] == ["ping"]
lock = threading.Lock()


def say(**fields):
    with lock:
        print(json.dumps(fields), flush=True)


class Calculator(object):
    """The seed's endpoints, plus a few to cover JSON types and failures."""

    def add(self, ctxt, x, y):
        return x + y

    def fib(self, ctxt, n):
        a, b = 0, 1
        for _ in range(n):
            a, b = b, a + b
        return a

    def test(self, ctxt):
        say(event="cast", method="test", server=server_name)

    def note(self, ctxt, text):
        say(event="cast", method="note", server=server_name, text=text)

    def echo(self, ctxt, value):
        return value

    def whoami(self, ctxt):
        return server_name

    def context(self, ctxt):
        return ctxt

    def fail(self, ctxt, message):
        raise ValueError(message)


class Billing(object):
    target = messaging.Target(namespace="billing", version="1.3")

    def version(self, ctxt):
        return "billing-1.3"


conf = cfg.CONF  # oslo registers some options (metrics) on the global CONF only
conf([])
if ping:
    from oslo_messaging.rpc import dispatcher
    conf.register_opts(dispatcher._dispatcher_opts)
    conf.set_override("rpc_ping_enabled", True)
transport = messaging.get_rpc_transport(conf, url=url)
target = messaging.Target(exchange=exchange, topic=topic, server=server_name)
server = messaging.get_rpc_server(transport, target, [Calculator(), Billing()], executor="threading",
                                  access_policy=messaging.DefaultRPCAccessPolicy)
stopping = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stopping.set())
server.start()
say(event="ready")
stopping.wait()
server.stop()
server.wait()
transport.cleanup()
