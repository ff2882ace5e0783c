"""
dqlog for Python services: send panics, log centrally, and listen to the progress topic, over
stomp.py, with the settings of the Java tools (DQLOG_BROKERS, DQLOG_LOGIN, DQLOG_PASSCODE_FILE,
DQLOG_APP).

    import logging, dqlog
    logging.getLogger().addHandler(dqlog.DqlogHandler())
    dqlog.panic("DCS Calculator failed in run 261070")
    dqlog.listen(None, "MsgType = 'RunEnd'", lambda headers, body: print(body))
"""

from ._handler import DqlogHandler
from ._listen import Listener, listen
from ._panic import panic
from ._records import LOGGING, PANIC, PROGRESS
from ._settings import Broker, Settings, parse_brokers
from ._stomp import NotSent

__all__ = ["DqlogHandler", "Listener", "listen", "panic", "Settings", "Broker", "parse_brokers", "NotSent",
           "LOGGING", "PANIC", "PROGRESS"]
__version__ = "0.1.0"
