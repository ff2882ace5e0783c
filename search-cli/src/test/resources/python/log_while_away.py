"""Logs 20 records into a DqlogHandler of capacity 5 while its broker is not running yet, prints
how many were dropped, waits for a line on stdin (the broker is up), then for every record to be
confirmed, and prints what was sent.

usage: log_while_away.py   (DQLOG_BROKERS, DQLOG_APP from the environment)
"""
import logging
import sys

import dqlog

handler = dqlog.DqlogHandler(capacity=5, retry_delay=0.2, timeout=5, max_batch=1)  # one held by the sender thread at most
log = logging.getLogger("dq.away")
log.setLevel(logging.INFO)
log.addHandler(handler)
for i in range(20):
    log.info("while away %d", i)
print("DROPPED %d" % handler.dropped, flush=True)
sys.stdin.readline()
ok = handler.flush(120)
handler.close()
print("SENT %d DROPPED %d" % (handler.sent, handler.dropped), flush=True)
sys.exit(0 if ok else 3)
