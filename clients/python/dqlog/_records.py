"""dqlog's message contract: record ids, timestamps, record bodies and send headers."""

import itertools
import json
import os
import secrets
import socket
import sys
import threading
import time
import traceback
from datetime import datetime, timezone

LOGGING = "/queue/atlas.dqm.logging"
PANIC = "/queue/atlas.dqm.panic"
PROGRESS = "/topic/atlas.dqm.progress"

# Python's level names to dqlog's: WARNING -> WARN, CRITICAL -> FATAL
LEVELS = {"NOTSET": "TRACE", "DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "WARN": "WARN",
          "ERROR": "ERROR", "CRITICAL": "FATAL", "FATAL": "FATAL"}

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32, as the Java ids


class RecordIds:
    """Ids of one producer instance: 12 random base-32 characters, '-', a sequence number. Thread-safe."""

    def __init__(self):
        bits = secrets.randbits(60)
        self.instance_id = "".join(_ALPHABET[(bits >> (5 * i)) & 31] for i in range(12))
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            return "%s-%d" % (self.instance_id, next(self._sequence))


IDS = RecordIds()


def level_of(levelno: int, levelname: str) -> str:
    if levelname in LEVELS:
        return LEVELS[levelname]
    if levelno >= 50:
        return "FATAL"
    if levelno >= 40:
        return "ERROR"
    if levelno >= 30:
        return "WARN"
    if levelno >= 20:
        return "INFO"
    return "DEBUG" if levelno >= 10 else "TRACE"


def iso_ts(epoch_seconds: float) -> str:
    """2026-11-26T23:59:59.123456Z"""
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_HOST = None


def short_name(name):
    """Up to the first dot, lower case; an IP address as it is; None for nothing usable (as the Java side)."""
    n = (name or "").strip().lower()
    if not n or n in ("localhost", "(none)"):
        return None
    if ":" in n or all(c.isdigit() or c == "." for c in n):
        return n
    return n.split(".", 1)[0] or None


def host_name() -> str:
    """This machine's short host name, as the Java tools take it: $HOSTNAME, else the kernel's, else unknown-host."""
    global _HOST
    if _HOST is None:
        _HOST = short_name(os.environ.get("HOSTNAME")) or short_name(socket.gethostname()) or "unknown-host"
    return _HOST


def exception_of(exc_info):
    """{"class", "message", "stack"} of an exc_info triple, the stack as Python prints it, causes included."""
    etype, value, tb = exc_info
    name = etype.__module__ + "." + etype.__qualname__ if etype.__module__ not in ("builtins", None) \
        else etype.__qualname__
    return {"class": name, "message": str(value),
            "stack": "".join(traceback.format_exception(etype, value, tb))}


def panic_fields(msg: str, now: float, stack) -> dict:
    """The fields DataQualityUtils.panic sends: msg, command, arguments, traceback (``stack``: lines as
    traceback.format_stack() gives them), cwd, time, usrtime."""
    argv = sys.argv if sys.argv and sys.argv[0] else ["python"]
    return {
        "msg": msg,
        "command": os.path.abspath(argv[0]) if argv[0] not in ("-c", "-m", "") else argv[0],
        "arguments": [str(a) for a in argv[1:]],
        "traceback": list(stack),
        "cwd": os.getcwd(),
        "time": now,
        "usrtime": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(now)),
    }


def encode(body: dict) -> str:
    # ensure_ascii: every control and non-ASCII character escaped, one line, as the Java writer does
    return json.dumps(body, ensure_ascii=True, separators=(",", ":"))


def headers(msg_type: str, host=None, app=None, level=None) -> dict:
    h = {"MsgClass": "DQ", "MsgType": msg_type, "persistent": "true",
         "content-type": "application/json", "amq-msg-type": "text"}
    for name, value in (("host", host), ("app", app), ("level", level)):
        if value:
            h[name] = value
    return h
