"""dqlog.listen() on every broker given: prints each message as one JSON line
{"headers": ..., "body": ...}. Runs until its standard input closes.

usage: listen_print.py BROKERS SELECTOR
"""
import json
import sys

import dqlog


def show(headers, body):
    print(json.dumps({"headers": headers, "body": body}), flush=True)


listener = dqlog.listen(sys.argv[1], sys.argv[2], show)
print("STARTED", flush=True)
sys.stdin.read()
listener.stop()
