/**
 * Panic e-mail for the collector: every panic the collector archives is handed to
 * {@link org.dqlog.collector.mail.Notifier#accept}, which returns once the panic is safely in
 * an outbox directory on disk; a sender thread mails it over SMTP.
 *
 * <ul>
 * <li>{@link org.dqlog.collector.mail.MailSettings}: the {@code mail:} section of
 * collector.yaml (SMTP server, STARTTLS, login, sender, recipients, timeouts, storm window,
 * hourly cap, digest size, routing rules, time zone of quiet windows, outbox directory).</li>
 * <li>{@link org.dqlog.collector.mail.RoutingRule}, {@link org.dqlog.collector.mail.QuietWindow},
 * {@link org.dqlog.collector.mail.Routing}: who gets which panic, and when not (first matching
 * rule wins).</li>
 * <li>{@link org.dqlog.collector.mail.PanicMail}: subject and body text.</li>
 * <li>{@code MailScheduler} (package-private): storm coalescing, quiet windows, rate limit and
 * digests, documented there.</li>
 * </ul>
 *
 * <p>The YAML section as {@code org.dqlog.collector.config.MailConfigReader} reads it (the outbox
 * is {@code <data>/mail-outbox}):
 * <pre>
 * mail:
 *   smtp: { host: smtp.example.org, port: 587, starttls: required, login: dqlog, passcodeFile: /etc/dqlog/smtp.pass,
 *           connectTimeout: 10s, readTimeout: 30s }
 *   from: dqlog@example.org
 *   to: [ dq-oncall@example.org ]
 *   stormWindow: 10m
 *   maxMailsPerHour: 30
 *   digestMaxEntries: 50
 *   zone: Europe/Zurich
 *   retryInitialBackoff: 5s
 *   retryMaxBackoff: 5m
 *   routes:
 *     - { host: "db-*", app: "*", to: [ dba@example.org ], quiet: [ "22:00-07:00", "Sat,Sun 00:00-24:00" ] }
 *     - { host: "lab-*", quiet: [ "Mon-Fri 18:00-08:00" ] }
 * </pre>
 */
package org.dqlog.collector.mail;
