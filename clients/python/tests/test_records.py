"""The package's pure parts: settings, levels, ids, the record of a logging.LogRecord. No broker.

Run: python3 -m unittest discover -s clients/python/tests -t clients/python
"""
import json
import logging
import re
import sys
import unittest

from dqlog import DqlogHandler, Settings, parse_brokers
from dqlog import _records


class SettingsTest(unittest.TestCase):

    def test_brokers_take_the_java_forms_and_default_ports(self):
        brokers = parse_brokers("tcp://mq1:61613, ssl://mq2 ,mq3:7000")
        self.assertEqual([b.uri for b in brokers], ["tcp://mq1:61613", "ssl://mq2:61614", "tcp://mq3:7000"])
        with self.assertRaises(ValueError):
            parse_brokers("http://mq1")

    def test_the_passcode_file_wins_and_the_passcode_never_shows(self):
        import os
        import tempfile
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("s3cret-from-file\n")
        try:
            s = Settings.from_env(env={"DQLOG_BROKERS": "tcp://mq1", "DQLOG_PASSCODE": "s3cret-env",
                                       "DQLOG_PASSCODE_FILE": f.name, "DQLOG_LOGIN": "dq", "DQLOG_APP": "merge"})
        finally:
            os.unlink(f.name)
        self.assertEqual(s.passcode, "s3cret-from-file")
        self.assertEqual((s.login, s.app), ("dq", "merge"))
        self.assertNotIn("s3cret", repr(s))


class RecordTest(unittest.TestCase):

    def setUp(self):
        self.handler = DqlogHandler(Settings.from_env(env={"DQLOG_BROKERS": "", "DQLOG_APP": "unit"}))

    def tearDown(self):
        self.handler.close(timeout=1)

    def record(self, level, msg, exc_info=None, **extra):
        r = logging.LogRecord("dq.unit", level, __file__, 1, msg, (), exc_info)
        r.__dict__.update(extra)
        return self.handler.to_record(r)

    def test_levels_map_warning_to_warn_and_critical_to_fatal(self):
        self.assertEqual([self.record(lv, "m")["level"] for lv in
                          (5, logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)],
                         ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"])

    def test_extra_fields_are_the_mdc_and_ids_are_the_java_shape(self):
        body = self.record(logging.INFO, "merged", run=261222, stream="physics_Main")
        self.assertEqual(body["mdc"], {"run": "261222", "stream": "physics_Main"})
        self.assertRegex(body["id"], r"^[0-9a-hjkmnp-tv-z]{12}-\d+$")
        self.assertRegex(body["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual((body["app"], body["logger"]), ("unit", "dq.unit"))
        self.assertNotIn("panic", body)

    def test_an_error_is_a_panic_with_the_exception_and_its_stack_as_traceback(self):
        try:
            raise KeyError("run")
        except KeyError:
            body = self.record(logging.ERROR, "failed", exc_info=sys.exc_info())
        self.assertTrue(body["panic"])
        self.assertEqual(body["exception"]["class"], "KeyError")
        self.assertIn("raise KeyError", body["exception"]["stack"])
        self.assertEqual("".join(body["traceback"]), body["exception"]["stack"])
        for field in ("command", "arguments", "cwd", "time", "usrtime"):
            self.assertIn(field, body)

    def test_the_json_is_one_ascii_line(self):
        text = _records.encode({"message": "line1\nline2 \u2028 caf\u00e9 \x1b[2J"})
        self.assertNotRegex(text, r"[\n\u2028\x1b\u00e9]")
        self.assertEqual(json.loads(text)["message"], "line1\nline2 \u2028 caf\u00e9 \x1b[2J")

    def test_stomp_pys_own_records_are_never_sent_so_the_handler_cannot_log_about_itself(self):
        own = logging.LogRecord("stomp.py", logging.WARNING, __file__, 1, "Could not connect", (), None)
        app = logging.LogRecord("stomp.pyramid", logging.WARNING, __file__, 1, "an app's logger", (), None)
        self.assertFalse(self.handler.filter(own))
        self.assertTrue(self.handler.filter(app))

    def test_a_full_queue_drops_and_counts_without_blocking(self):
        handler = DqlogHandler(Settings.from_env(env={"DQLOG_BROKERS": "tcp://127.0.0.1:1"}), capacity=2,
                               retry_delay=60, timeout=1, max_batch=1)
        try:
            for i in range(10):
                handler.emit(logging.LogRecord("dq.unit", logging.INFO, __file__, 1, "r%d" % i, (), None))
            self.assertGreaterEqual(handler.dropped, 7)
            self.assertEqual(handler.sent, 0)
        finally:
            handler.close(timeout=1)


if __name__ == "__main__":
    unittest.main()
