"""Sends notifications with oslo.messaging's Notifier for seedmq's interoperability test.

Usage: oslo_notify.py URL EXCHANGE TOPIC DRIVER
With DRIVER (messagingv2 or messaging), publisher "local" sends info, warn and error
notifications, then publisher "remote" sends the same three, on TOPIC through EXCHANGE (oslo's
control_exchange). Payloads are {"content": "Hello World", "priority": p, "n": i,
"nested": {"driver": DRIVER, "list": [1, 2.5, null, true]}}. Prints "sent 6".
"""
import sys

from oslo_config import cfg
import oslo_messaging


def main():
    url, exchange, topic, driver = sys.argv[1:5]
    conf = cfg.ConfigOpts()
    # control_exchange must be set before the transport reads it (with options in the URL's query,
    # the driver reads it once, when it is made).
    conf.register_opts(oslo_messaging.transport._transport_opts)
    conf.set_override('control_exchange', exchange)
    transport = oslo_messaging.get_notification_transport(conf, url=url)
    try:
        notifier = oslo_messaging.Notifier(transport, publisher_id='local', driver=driver,
                                           topics=[topic], retry=3)
        ctxt = {'user_id': 'u-python', 'request_id': 'req-1'}
        sent = 0
        for publisher in ('local', 'remote'):
            prepared = notifier.prepare(publisher_id=publisher)
            for n, priority in enumerate(('info', 'warn', 'error')):
                payload = {'content': 'Hello World', 'priority': priority, 'n': n,
                           'nested': {'driver': driver, 'list': [1, 2.5, None, True]}}
                getattr(prepared, priority)(ctxt, 'interop.' + priority, payload)
                sent += 1
        print('sent %d' % sent)
    finally:
        transport.cleanup()


if __name__ == '__main__':
    main()
