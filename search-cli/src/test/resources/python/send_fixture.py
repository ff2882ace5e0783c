"""Sends messages to the progress topic exactly as the fleet's Python tools do: headers and body
of a fixture file (*.stomp.json), with the MsgType given, through stomp.py. Sends RunStart then
the fixture's RunEnd, every half second, until the file STOP exists (at most 240 rounds).

usage: send_fixture.py PORT FIXTURE STOP
"""
import json
import os
import sys
import time

import stomp

port, fixture, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(fixture) as f:
    message = json.load(f)
# what a producer sets; the broker adds message-id, timestamp, expires, priority, JMSXUserID, ack
headers = {k: v for k, v in message['headers'].items()
           if k in ('MsgClass', 'MsgType', 'persistent', 'type')}
c = stomp.Connection([('127.0.0.1', port)], heartbeats=(0, 0))
c.connect(wait=True)
for n in range(240):
    if os.path.exists(stop):
        break
    start = dict(headers, MsgType='RunStart')
    c.send('/topic/atlas.dqm.progress', message['body'], headers=start)
    c.send('/topic/atlas.dqm.progress', message['body'], headers=headers)
    time.sleep(0.5)
c.disconnect()
