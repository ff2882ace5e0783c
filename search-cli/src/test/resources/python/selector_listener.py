"""Subscribes to the progress topic of every broker given, as the fleet's Python services do,
and prints each message as one JSON line {"headers": ..., "body": ...}; READY once every
subscription is confirmed. Runs until its standard input closes.

usage: selector_listener.py PORT[,PORT...] SELECTOR
"""
import json
import sys
import threading

import stomp

ports = [int(p) for p in sys.argv[1].split(',')]
selector = sys.argv[2]
lock = threading.Lock()
receipts = threading.Semaphore(0)


class Printer(stomp.ConnectionListener):
    def on_message(self, frame):
        with lock:
            print(json.dumps({"headers": frame.headers, "body": frame.body}), flush=True)

    def on_receipt(self, frame):
        receipts.release()


connections = []
for i, port in enumerate(ports):
    c = stomp.Connection([('127.0.0.1', port)], heartbeats=(0, 0))
    c.set_listener('printer', Printer())
    c.connect(wait=True)
    c.subscribe('/topic/atlas.dqm.progress', id=str(i), ack='auto',
                headers={'selector': selector, 'receipt': 'subscribed-%d' % i})
    connections.append(c)
for _ in ports:
    if not receipts.acquire(timeout=120):
        sys.exit("no SUBSCRIBE receipt")
print("READY", flush=True)
sys.stdin.read()
for c in connections:
    c.disconnect()
