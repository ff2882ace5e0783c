package org.dqlog.collector.mail;

import org.dqlog.core.LogRecord;

/** What makes two panics "identical" for storm coalescing: same host, app and whole message. */
record StormKey(String host, String app, String message) {

    static StormKey of(LogRecord r) {
        return new StormKey(PanicMail.displayHost(r), PanicMail.displayApp(r), r.message() == null ? "" : r.message());
    }
}
