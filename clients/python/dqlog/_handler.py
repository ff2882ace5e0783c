"""A logging.Handler that sends dqlog records without ever blocking the caller."""

import logging
import queue
import sys
import threading
import time

from . import _records
from ._settings import Settings
from ._stomp import NotSent, Sender

# loggers whose records the handler never sends: stomp.py's own (it logs every connect failure,
# and every frame at DEBUG: sending those would log about sending, without end) and this package's
OWN_LOGGERS = ("stomp.py", "dqlog")

# attributes every logging.LogRecord has: the rest were given with extra= and become the MDC
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class DqlogHandler(logging.Handler):
    """
    Sends each record to the logging queue of one broker (failing over to the next), as dqlog's
    JSON record; ERROR and above also to the panic queue, with the same id. emit() only puts the
    record in a bounded memory queue: a full queue drops the record (counted in ``dropped``, and
    reported as a WARN record of logger ``dqlog.dropped`` once a broker takes messages again).
    There is no disk spool: what is in memory when the process dies, or dropped, is lost.

    Thread-safe, as every logging.Handler.
    """

    def __init__(self, settings=None, level=logging.NOTSET, capacity=10000, timeout=10.0,
                 retry_delay=1.0, max_batch=100, logging_destination=_records.LOGGING,
                 panic_destination=_records.PANIC):
        super().__init__(level)
        self.settings = settings or Settings.from_env()
        self.dropped = 0
        self.sent = 0
        self._reported_dropped = 0
        self._queue = queue.Queue(maxsize=capacity)
        self._timeout = timeout
        self._retry_delay = retry_delay
        self._max_batch = max_batch
        self._logging = logging_destination
        self._panic = panic_destination
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dqlog-handler", daemon=True)
        self._thread.start()

    def filter(self, record):
        name = record.name
        if any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS):
            return False
        return super().filter(record)

    # ---- caller's thread: never waits on the network
    def emit(self, record):
        try:
            self._queue.put_nowait(self.to_record(record))
        except queue.Full:
            self.dropped += 1  # reported by the sender thread
        except Exception:  # noqa: BLE001 - a record that cannot be built: logging's own error path
            self.handleError(record)

    def to_record(self, record):
        """dqlog's JSON record (as a dict) of a logging.LogRecord."""
        body = {
            "id": _records.IDS.next(),
            "ts": _records.iso_ts(record.created),
            "host": _records.host_name(),
            "app": self.settings.app,
            "pid": record.process,
            "level": _records.level_of(record.levelno, record.levelname),
            "logger": record.name,
            "thread": record.threadName,
            "message": record.getMessage(),
        }
        mdc = {k: str(v) for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        if mdc:
            body["mdc"] = mdc
        if record.exc_info and record.exc_info[0] is not None:
            body["exception"] = _records.exception_of(record.exc_info)
        elif record.exc_text:
            body["exception"] = {"class": "", "message": "", "stack": record.exc_text}
        if record.levelno >= logging.ERROR:
            body["panic"] = True
            stack = body["exception"]["stack"].splitlines(True) if "exception" in body else []
            body.update({k: v for k, v in _records.panic_fields(body["message"], record.created, stack).items()
                         if k != "msg"})
        return body

    # ---- sender thread
    def _messages(self, body):
        level = body["level"]
        msg_type = "Panic" if body.get("panic") else "Log"
        headers = _records.headers(msg_type, body["host"], body["app"], level)
        text = _records.encode(body)
        messages = [(self._logging, headers, text)]
        if body.get("panic"):
            messages.append((self._panic, dict(headers, MsgType="Panic"), text))
        return messages

    def _run(self):
        sender = None
        batch = []
        while True:
            if not batch:
                try:
                    batch.append(self._queue.get(timeout=0.2))
                except queue.Empty:
                    if self._stop.is_set():
                        break
                    continue
                # what else waits goes along, confirmed by one receipt (one per record costs ~5x)
                while len(batch) < self._max_batch:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
            try:
                if sender is None:
                    sender = Sender(self.settings, self._timeout)
                sender.send([m for body in batch for m in self._messages(body)])
                self.sent += len(batch)
                for _ in batch:
                    self._queue.task_done()
                batch = []
                self._report_drops(sender)
            except NotSent as e:
                self._trouble("no broker took %d record(s): %s; retrying" % (len(batch), e))
                if self._stop.wait(self._retry_delay) and self._queue.empty():
                    break  # closing and the brokers are away: what is left is lost (no spool)
        if sender is not None:
            sender.close()

    def _report_drops(self, sender):
        dropped = self.dropped
        if dropped > self._reported_dropped:
            notice = logging.LogRecord("dqlog.dropped", logging.WARNING, __file__, 0,
                                       "dqlog dropped %d record(s): the handler's queue was full",
                                       (dropped - self._reported_dropped,), None)
            try:
                sender.send(self._messages(self.to_record(notice)))
                self._reported_dropped = dropped
            except NotSent:
                pass

    _last_trouble = 0.0

    def _trouble(self, text):
        # at most one line a minute on stderr, never through logging (it would log into itself)
        now = time.monotonic()
        if now - self._last_trouble >= 60:
            self._last_trouble = now
            print("dqlog: %s" % text, file=sys.stderr)

    def flush(self, timeout=None):
        """Waits until every queued record was confirmed by a broker, at most ``timeout`` seconds
        (default: the send timeout); True if so."""
        deadline = time.monotonic() + (self._timeout if timeout is None else timeout)
        while self._queue.unfinished_tasks and self._thread.is_alive():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self, timeout=10.0):
        """Sends what waits (for at most ``timeout`` seconds), then stops the sender thread."""
        self._stop.set()
        self._thread.join(timeout)
        super().close()
