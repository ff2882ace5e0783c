"""panic(msg): the panic of the existing Python tooling, plus id, host, app and level."""

import time

from . import _records
from ._settings import Settings
from ._stomp import NotSent, Sender


def panic_message(msg, settings, stack, record_id=None, now=None, extra=None):
    """(destination, headers, body) of a panic: DataQualityUtils.panic's fields and headers, plus id, host, app, level."""
    now = time.time() if now is None else now
    body = {"id": record_id or _records.IDS.next()}
    body.update(_records.panic_fields(msg, now, stack))
    body.update({"host": _records.host_name(), "app": settings.app, "level": "FATAL"})
    if extra:
        body.update(extra)
    headers = {"MsgClass": "DQ", "MsgType": "Panic", "type": "textMessage", "persistent": "true",
               "amq-msg-type": "text", "content-type": "application/json",
               "host": body["host"], "app": settings.app, "level": body["level"]}
    return _records.PANIC, headers, _records.encode(body)


def panic(msg, settings=None, timeout=10.0):
    """
    Sends a panic to /queue/atlas.dqm.panic of one broker (the next on failure) and waits for its
    receipt. Returns True once a broker stored it, False otherwise (the reason goes to stderr);
    never raises, like the tooling's panic().
    """
    import sys
    try:
        settings = settings or Settings.from_env()
        sender = Sender(settings, timeout)
        try:
            sender.send([panic_message(str(msg), settings, _caller_stack())])
            return True
        finally:
            sender.close()
    except NotSent as e:
        print("dqlog: panic not sent: %s" % e, file=sys.stderr)
    except Exception as e:  # noqa: BLE001 - a panic must never raise into the failing program
        print("dqlog: panic not sent: %s: %s" % (e.__class__.__name__, e), file=sys.stderr)
    return False


def _caller_stack():
    import traceback
    return traceback.format_stack()[:-2]  # up to the line that called panic(), as the tooling's
