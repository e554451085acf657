"""oslo's RPC health probe against a seedmq server: calls oslo_rpc_server_ping, as a readiness check would.

Usage: oslo_rpc_ping.py URL EXCHANGE TOPIC
Prints {"result": ...} or {"error": <exception class>}.
"""
import json
import sys

from oslo_config import cfg
import oslo_messaging as messaging

url, exchange, topic = sys.argv[1:4]
conf = cfg.CONF
conf([])
transport = messaging.get_rpc_transport(conf, url=url, allowed_remote_exmods=["oslo_messaging.rpc.dispatcher"])
client = messaging.get_rpc_client(transport, messaging.Target(exchange=exchange, topic=topic), timeout=15)
try:
    out = {"result": client.call({}, "oslo_rpc_server_ping")}
except Exception as e:  # report what oslo raised, as the caller sees it
    out = {"error": type(e).__name__}
print(json.dumps(out), flush=True)
transport.cleanup()
