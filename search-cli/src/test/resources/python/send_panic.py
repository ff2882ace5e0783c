"""dqlog.panic(MESSAGE): exit 0 if a broker stored it. usage: send_panic.py MESSAGE ARG..."""
import sys

import dqlog

sys.exit(0 if dqlog.panic(sys.argv[1]) else 1)
