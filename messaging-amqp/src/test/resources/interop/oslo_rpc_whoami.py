"""An oslo.messaging RPC client for seedmq's topology interop test: asks who serves.

Usage: oslo_rpc_whoami.py URL EXCHANGE TOPIC SERVER...
The URL's query carries [oslo_messaging_rabbit] options (oslo reads them as overrides). Calls
"whoami" on TOPIC until every SERVER has answered once (at most 40 calls), then once on each SERVER
directly, and prints one JSON document: {"topic": [names...], "direct": {server: name}}.
"""
import json
import sys

from oslo_config import cfg
import oslo_messaging as messaging

url, exchange, topic = sys.argv[1:4]
servers = sys.argv[4:]

conf = cfg.CONF  # oslo registers some options (metrics) on the global CONF only
conf([])
transport = messaging.get_rpc_transport(conf, url=url)
client = messaging.get_rpc_client(transport, messaging.Target(exchange=exchange, topic=topic), timeout=15)
seen = []
for _ in range(40):
    seen.append(client.call({}, "whoami"))
    if all(s in seen for s in servers):
        break
direct = {s: client.prepare(server=s).call({}, "whoami") for s in servers}
print(json.dumps({"topic": seen, "direct": direct}), flush=True)
transport.cleanup()
