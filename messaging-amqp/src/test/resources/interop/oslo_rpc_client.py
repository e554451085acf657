"""An oslo.messaging RPC client for seedmq's interop tests: calls a seedmq server every way.

Usage: oslo_rpc_client.py URL EXCHANGE TOPIC SERVER
Prints one JSON line per step: {"step": ..., "result": ...} or {"step": ..., "error": ...}.
"""
import json
import sys

from oslo_config import cfg
import oslo_messaging as messaging

url, exchange, topic, server_name = sys.argv[1:5]

conf = cfg.CONF  # oslo registers some options (metrics) on the global CONF only
conf([])
# Let oslo rebuild its own dispatcher exceptions, as a service would for its own modules.
transport = messaging.get_rpc_transport(conf, url=url, allowed_remote_exmods=["oslo_messaging.rpc.dispatcher"])
client = messaging.get_rpc_client(transport, messaging.Target(exchange=exchange, topic=topic), timeout=15)
ctxt = {"user_id": "u-py", "request_id": "req-1"}


def step(name, fn):
    try:
        out = {"step": name, "result": fn()}
    except Exception as e:  # report what oslo raised, as the caller sees it
        out = {"step": name, "error": type(e).__name__, "module": type(e).__module__,
               "types": [c.__module__ + "." + c.__name__ for c in type(e).__mro__],
               "message": str(e).split("\n")[0],
               "exc_type": getattr(e, "exc_type", None), "value": getattr(e, "value", None)}
    print(json.dumps(out), flush=True)


values = [7, -2.5, "h\u00e9llo \u2713", [1, "two", None, True], {"a": {"b": [1, 2]}, "n": None}, None, False,
          12345678901234]
step("add", lambda: client.call(ctxt, "add", x=1, y=2))
step("echo", lambda: [client.call(ctxt, "echo", value=v) for v in values])
step("context", lambda: client.call(ctxt, "context"))
step("cast", lambda: client.cast(ctxt, "note", text="cast from python"))
step("server", lambda: client.prepare(server=server_name).call(ctxt, "whoami"))
step("server_cast", lambda: client.prepare(server=server_name).cast(ctxt, "note", text="direct from python"))
step("fanout", lambda: client.prepare(fanout=True).cast(ctxt, "note", text="fanout from python"))
step("fail", lambda: client.call(ctxt, "fail", message="bad value"))
step("missing", lambda: client.call(ctxt, "no_such_method"))
step("version", lambda: client.prepare(namespace="billing", version="1.3").call(ctxt, "version"))
step("bad_version", lambda: client.prepare(namespace="billing", version="1.4").call(ctxt, "version"))
step("bad_args", lambda: client.call(ctxt, "add", x=1))
transport.cleanup()
