"""STOMP over stomp.py: one connection to one broker, sends confirmed by receipts, failover."""

import itertools
import ssl
import threading
import time

import stomp

# heart-beats both ways (ms): a silent broker is noticed, as by the Java client
HEARTBEAT_MS = 5000
_receipt_ids = itertools.count(1)


class NotSent(Exception):
    """No broker confirmed the message; the text says why (never the passcode)."""


class _Receipts(stomp.ConnectionListener):
    """Receipts and the end of one connection, for the thread that waits for them."""

    def __init__(self):
        self._cond = threading.Condition()
        self._confirmed = set()
        self.error = None
        self.disconnected = False

    def on_receipt(self, frame):
        with self._cond:
            self._confirmed.add(frame.headers.get("receipt-id"))
            self._cond.notify_all()

    def on_error(self, frame):
        with self._cond:
            self.error = frame.headers.get("message") or "ERROR frame"
            self._cond.notify_all()

    def on_disconnected(self):
        with self._cond:
            self.disconnected = True
            self._cond.notify_all()

    def wait(self, receipt_id, timeout):
        deadline = time.monotonic() + timeout
        with self._cond:
            while receipt_id not in self._confirmed:
                if self.error is not None:
                    raise NotSent("the broker refused it: %s" % self.error)
                if self.disconnected:
                    raise NotSent("connection lost before the receipt")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise NotSent("no receipt within %.1f s" % timeout)
                self._cond.wait(left)
            self._confirmed.discard(receipt_id)


def connect(broker, settings, timeout, listener=None, client_id=None):
    """A connected stomp.py connection to one broker (stomp.py's own reconnecting turned off: we fail over)."""
    conn = stomp.Connection12([(broker.host, broker.port)], heartbeats=(HEARTBEAT_MS, HEARTBEAT_MS),
                              reconnect_attempts_max=1, timeout=timeout)
    if broker.scheme == "ssl":
        # stomp.py checks nothing without ca_certs: always give a CA file (DQLOG_CA_FILE, else the
        # system's), so the certificate and the host name are verified
        conn.set_ssl(for_hosts=[(broker.host, broker.port)], ca_certs=settings.ca_file or _system_ca_file(),
                     ssl_version=ssl.PROTOCOL_TLS_CLIENT)
    if listener is not None:
        conn.set_listener("dqlog", listener)
    headers = {"client-id": client_id} if client_id else {}
    conn.connect(settings.login, settings.passcode, wait=True, headers=headers)
    return conn


class Sender:
    """
    Sends messages to any one broker of the settings, each batch confirmed by a receipt; on a
    failure, the next broker. Not thread-safe: one thread (the handler's, or the caller of panic()) owns it.
    """

    def __init__(self, settings, timeout=10.0):
        if not settings.brokers:
            raise NotSent("no brokers configured: set DQLOG_BROKERS (tcp://host:61613,...)")
        self.settings = settings
        self.timeout = timeout
        self._index = -1
        self._conn = None
        self._receipts = None
        self.broker = None

    def send(self, messages):
        """messages: [(destination, headers, body)]; returns once one broker confirmed all of them."""
        why = []
        for _ in range(len(self.settings.brokers)):
            try:
                if self._conn is None:
                    self._connect_next()
                receipt = "dqlog-%d" % next(_receipt_ids)
                for i, (destination, headers, body) in enumerate(messages):
                    h = dict(headers)
                    if i == len(messages) - 1:
                        h["receipt"] = receipt
                    self._conn.send(destination, body, headers=h)
                self._receipts.wait(receipt, self.timeout)
                return self.broker
            except Exception as e:  # noqa: BLE001 - every failure of one broker means: the next
                why.append("%s: %s" % (self.broker, _describe(e)))
                self.close()
        raise NotSent("; ".join(why))

    def _connect_next(self):
        self._index = (self._index + 1) % len(self.settings.brokers)
        self.broker = self.settings.brokers[self._index]
        self._receipts = _Receipts()
        self._conn = connect(self.broker, self.settings, self.timeout, self._receipts)

    def close(self):
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.disconnect()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass


def _system_ca_file():
    paths = ssl.get_default_verify_paths()
    return paths.cafile or paths.openssl_cafile or "/etc/ssl/certs/ca-certificates.crt"


def _describe(e):
    text = str(e) or e.__class__.__name__
    return text.splitlines()[0] if text else e.__class__.__name__
