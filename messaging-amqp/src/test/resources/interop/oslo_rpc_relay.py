"""A Python oslo.messaging service in the middle of a trace: its method calls on to another RPC server.

Usage: oslo_rpc_relay.py URL EXCHANGE TOPIC SERVER NEXT_TOPIC
Endpoints:
  relay(x, y): calls add(x, y) on NEXT_TOPIC with the context it received, as oslo services pass it on;
  relay_request_context(x, y): the same after turning the context into an oslo.context RequestContext
      and back (from_dict / to_dict), as services using RequestContextSerializer do.
Prints "ready" once it listens; runs until SIGTERM.
"""
import signal
import sys
import threading

from oslo_config import cfg
from oslo_context import context as oslo_context
import oslo_messaging as messaging

url, exchange, topic, server_name, next_topic = sys.argv[1:6]
conf = cfg.CONF
conf([])
transport = messaging.get_rpc_transport(conf, url=url)
onward = messaging.get_rpc_client(transport, messaging.Target(exchange=exchange, topic=next_topic), timeout=15)


class Relay(object):
    def relay(self, ctxt, x, y):
        return onward.call(ctxt, "add", x=x, y=y)

    def relay_request_context(self, ctxt, x, y):
        return onward.call(oslo_context.RequestContext.from_dict(ctxt).to_dict(), "add", x=x, y=y)


server = messaging.get_rpc_server(transport, messaging.Target(exchange=exchange, topic=topic, server=server_name),
                                  [Relay()], executor="threading")
stopping = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stopping.set())
server.start()
print("ready", flush=True)
stopping.wait()
server.stop()
server.wait()
transport.cleanup()
