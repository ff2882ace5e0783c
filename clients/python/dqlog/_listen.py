"""listen(brokers, selector, callback): a topic or queue of every broker at once, each reconnecting."""

import collections
import random
import sys
import threading

from . import _records
from ._settings import Settings, parse_brokers
from ._stomp import connect


class _Session:
    """One broker: connect, subscribe, deliver, and after any failure reconnect with backoff."""

    def __init__(self, listener, broker):
        self.listener = listener
        self.broker = broker
        self.connected = threading.Event()
        self.conn = None
        self.thread = threading.Thread(target=self._run, name="dqlog-listen-%s" % broker, daemon=True)

    def _run(self):
        delay = self.listener.min_delay
        while not self.listener.stopped.is_set():
            ended = threading.Event()
            conn = None
            try:
                conn = connect(self.broker, self.listener.settings, self.listener.timeout,
                               _Deliver(self, ended), self.listener.client_id)
                self.conn = conn
                headers = {}
                if self.listener.selector:
                    headers["selector"] = self.listener.selector
                if self.listener.client_id:
                    headers["activemq.subscriptionName"] = self.listener.client_id
                conn.subscribe(self.listener.destination, id="dqlog-0", ack="client-individual", headers=headers)
                self.connected.set()
                delay = self.listener.min_delay
                while not self.listener.stopped.is_set() and not ended.is_set():
                    ended.wait(0.2)
            except Exception as e:  # noqa: BLE001 - any failure: this broker reconnects, the others go on
                print("dqlog: listen: broker %s: %s; reconnecting" % (self.broker, e), file=sys.stderr)
            finally:
                self.connected.clear()
                self.conn = None
                if conn is not None:
                    try:
                        conn.disconnect()
                    except Exception:  # noqa: BLE001
                        pass
            if not self.listener.stopped.is_set():
                self.listener.stopped.wait(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, self.listener.max_delay)


    def ack(self, frame):
        # client-individual: this message only, once the callback has finished (or failed, reported)
        conn, ack_id = self.conn, frame.headers.get("ack")
        if conn is not None and ack_id is not None:
            conn.ack(ack_id)


class _Deliver:
    """stomp.py's listener of one session: calls back, then acknowledges (never NACKs)."""

    def __init__(self, session, ended):
        self.session = session
        self.ended = ended

    def on_message(self, frame):
        listener = self.session.listener
        headers = dict(frame.headers)
        key = headers.get("id") or "msgid:" + headers.get("message-id", "")
        if not listener.seen(key):
            with listener.lock:  # one callback at a time, whichever broker delivered
                try:
                    listener.callback(headers, frame.body)
                except Exception as e:  # noqa: BLE001 - the callback's failure is reported, not retried
                    print("dqlog: listen: callback failed on %s: %r" % (key, e), file=sys.stderr)
        self.session.ack(frame)

    def on_error(self, frame):
        print("dqlog: listen: broker %s: %s" % (self.session.broker, frame.headers.get("message")), file=sys.stderr)
        self.ended.set()

    def on_disconnected(self):
        self.ended.set()


class Listener:
    """What listen() returns: ``stop()`` ends it; ``connected()`` says how many brokers deliver now."""

    def __init__(self, settings, selector, callback, destination, client_id, timeout, recent):
        self.settings = settings
        self.selector = selector
        self.callback = callback
        self.destination = destination
        self.client_id = client_id
        self.timeout = timeout
        self.min_delay, self.max_delay = 1.0, 30.0
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self._recent = collections.OrderedDict()
        self._recent_max = recent
        self._recent_lock = threading.Lock()
        self.sessions = [_Session(self, b) for b in settings.brokers]

    def seen(self, key):
        """True if ``key`` was among the last ids delivered (a repeat through another broker or a redelivery)."""
        with self._recent_lock:
            if key in self._recent:
                return True
            self._recent[key] = True
            if len(self._recent) > self._recent_max:
                self._recent.popitem(last=False)
            return False

    def connected(self):
        return sum(1 for s in self.sessions if s.connected.is_set())

    def stop(self, timeout=10.0):
        self.stopped.set()
        for s in self.sessions:
            s.thread.join(timeout)


def listen(brokers=None, selector=None, callback=None, destination=_records.PROGRESS, settings=None,
           durable=None, timeout=10.0, recent=10000):
    """
    Consumes ``destination`` (default the progress topic) from every broker at once, each
    reconnecting on its own with backoff, and calls ``callback(headers, body)`` for each message
    matching the JMS ``selector``: one call at a time, then acknowledges it (a failing callback is
    reported on stderr, not retried). Repeats of an id within the last ``recent`` are dropped.
    ``durable=NAME`` makes a durable topic subscription (client-id and subscription name NAME).
    Returns a Listener; call ``stop()`` to end it.
    """
    if callback is None:
        raise ValueError("listen() needs a callback(headers, body)")
    settings = settings or Settings.from_env()
    if brokers is not None:
        settings = Settings(tuple(parse_brokers(brokers)), settings.login, settings.passcode, settings.app,
                            settings.ca_file)
    if not settings.brokers:
        raise ValueError("no brokers: give brokers= or set DQLOG_BROKERS")
    listener = Listener(settings, selector, callback, destination, durable, timeout, recent)
    for s in listener.sessions:
        s.thread.start()
    return listener
