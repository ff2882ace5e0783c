"""Logs three records through dqlog.DqlogHandler (INFO, WARNING with extra, ERROR with exc_info),
waits until a broker confirmed them, exits 0 (3 if not all were confirmed).

usage: log_records.py MARKER   (brokers from DQLOG_BROKERS, app from DQLOG_APP)
"""
import logging
import sys

import dqlog

marker = sys.argv[1]
handler = dqlog.DqlogHandler()
log = logging.getLogger("dq.merge")
log.setLevel(logging.DEBUG)
log.addHandler(handler)
log.info("python info %s", marker)
log.warning("python warning %s", marker, extra={"run": 261222, "stream": "physics_Main"})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("python error %s", marker)
ok = handler.flush(120)
handler.close()
print("sent %d dropped %d" % (handler.sent, handler.dropped), flush=True)
sys.exit(0 if ok and handler.sent == 3 else 3)
