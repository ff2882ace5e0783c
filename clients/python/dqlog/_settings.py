"""The shared client settings of dqlog (the same environment variables as the Java tools)."""

import os
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Tuple
from urllib.parse import urlsplit

DEFAULT_TCP_PORT = 61613
DEFAULT_SSL_PORT = 61614


@dataclass(frozen=True)
class Broker:
    """One STOMP broker: tcp://host:port or ssl://host:port."""

    scheme: str
    host: str
    port: int

    @property
    def uri(self) -> str:
        return "%s://%s:%d" % (self.scheme, self.host, self.port)

    def __str__(self) -> str:
        return self.uri


def parse_brokers(text) -> List[Broker]:
    """'tcp://h:61613,ssl://h2:61614' (or a list of such URIs, or host:port) -> brokers."""
    items = text.split(",") if isinstance(text, str) else list(text)
    brokers = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        if "://" not in item:
            item = "tcp://" + item
        parts = urlsplit(item)
        scheme = parts.scheme.lower()
        if scheme not in ("tcp", "ssl", "stomp", "stomp+ssl"):
            raise ValueError("unsupported broker scheme in %r (tcp:// or ssl://)" % item)
        scheme = "ssl" if "ssl" in scheme else "tcp"
        port = parts.port or (DEFAULT_SSL_PORT if scheme == "ssl" else DEFAULT_TCP_PORT)
        if not parts.hostname:
            raise ValueError("no host in broker %r" % item)
        brokers.append(Broker(scheme, parts.hostname, port))
    return brokers


@dataclass(frozen=True)
class Settings:
    """Brokers, login and application name; repr never shows the passcode."""

    brokers: Tuple[Broker, ...]
    login: Optional[str] = None
    passcode: Optional[str] = field(default=None, repr=False)
    app: Optional[str] = None
    ca_file: Optional[str] = None

    @staticmethod
    def from_env(env=None, brokers=None, login=None, passcode=None, app=None) -> "Settings":
        """Arguments win over DQLOG_BROKERS, DQLOG_LOGIN, DQLOG_PASSCODE_FILE / DQLOG_PASSCODE, DQLOG_APP, DQLOG_CA_FILE."""
        env = os.environ if env is None else env
        text = brokers if brokers is not None else env.get("DQLOG_BROKERS", "")
        if passcode is None:
            passcode_file = env.get("DQLOG_PASSCODE_FILE")
            if passcode_file:
                with open(passcode_file, encoding="utf-8") as f:
                    passcode = f.read().strip()
            else:
                passcode = env.get("DQLOG_PASSCODE") or None
        return Settings(
            brokers=tuple(parse_brokers(text)),
            login=login if login is not None else (env.get("DQLOG_LOGIN") or None),
            passcode=passcode,
            app=app if app is not None else (env.get("DQLOG_APP") or default_app()),
            ca_file=env.get("DQLOG_CA_FILE") or None,
        )


def default_app() -> str:
    """The script's file name without .py, as the Java side takes the main class."""
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 in ("", "-c", "-m"):
        return "python"
    name = os.path.basename(argv0)
    return name[:-3] if name.endswith(".py") else (name or "python")
