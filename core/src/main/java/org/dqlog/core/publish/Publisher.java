package org.dqlog.core.publish;

import static org.dqlog.core.config.SettingChecks.positive;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.stomp.Receipt;
import org.dqlog.core.stomp.Refusals;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.stomp.SessionListener;
import org.dqlog.core.stomp.StompErrorException;
import org.dqlog.core.stomp.StompSession;

/**
 * Sends batches of messages to any ONE of several brokers and counts a batch as stored only when
 * that broker confirmed it. The brokers are not networked, so any one will do: the publisher starts
 * at a random one (or the first configured), stays with it while it works, and moves on to the next
 * when it fails. A sender also moves on purpose now and then ({@link #rebalance()}), so that a fleet
 * of producers spreads again over brokers that came back.
 *
 * <p>{@link #publish} sends every message of the batch on one connection and asks for a receipt on
 * the last frame to each destination only (a receipt per frame costs about 8x the throughput): the
 * broker handles the frames of a connection in order, so the receipt of the last persistent SEND to
 * a queue means it stored every earlier one too. Only a receipt means stored: ActiveMQ stores a
 * persistent SEND without a receipt asynchronously, and loses it if killed first. On a receipt
 * timeout, an ERROR frame, a broken or a silent connection (heart-beats), the publisher closes that
 * connection and sends the WHOLE batch again to the next broker (at-least-once; the collector
 * deduplicates by record id). After every broker was tried once without success, or when the time
 * allowed for the call ran out, it throws {@link PublishException} so that the caller can spool the
 * batch and retry later; it never waits between brokers (backing off between rounds is the
 * caller's business, see {@link ReconnectBackoff}). It never NACKs and never consumes.
 *
 * <p>Broker names are expanded by {@link BrokerResolver} (a name with several addresses is several
 * brokers) on every reconnect and every {@link Builder#resolveInterval resolve interval}. Connects
 * and failovers are reported through {@link Status}, at most once per report interval each.
 *
 * <p>Not thread-safe: one thread at a time calls {@link #connect}, {@link #publish} and
 * {@link #close}. {@link #abort()}, {@link #isConnected()}, {@link #connectedBroker()},
 * {@link #failovers()}, {@link #lastConfirmedBy()} and {@link #brokers()} may be called from any thread.
 */
public final class Publisher implements AutoCloseable {

    /** Longest one {@link #connect} or {@link #publish} call tries brokers before it gives up: 30 s. */
    public static final Duration DEFAULT_ROUND_TIMEOUT = Duration.ofSeconds(30);
    /** How often the broker names are resolved again while connected: 5 min. */
    public static final Duration DEFAULT_RESOLVE_INTERVAL = Duration.ofMinutes(5);

    private static final long MIN_CONNECT_NANOS = Duration.ofMillis(100).toNanos();

    private final BrokerResolver resolver;
    private final SessionConfig sessionConfig;
    private final Duration roundTimeout;
    private final long resolveIntervalNanos;
    private final boolean randomStart;
    private final ThrottledStatus connectReports;
    private final ThrottledStatus failoverReports;

    private volatile List<BrokerAddress> brokers;
    private long resolvedAtNanos;
    private boolean needsResolve;
    private int index = -1;
    private volatile StompSession session;
    private volatile BrokerAddress lastConfirmedBy;
    private final AtomicLong failovers = new AtomicLong();
    private volatile boolean aborted;
    private volatile boolean closed;
    private final long rebalanceIntervalNanos;
    private long rebalanceAtNanos = Long.MAX_VALUE;

    private Publisher(Builder b) {
        this.resolver = b.resolver;
        this.sessionConfig = b.sessionConfig;
        this.roundTimeout = positive("roundTimeout", b.roundTimeout);
        this.resolveIntervalNanos = positive("resolveInterval", b.resolveInterval).toNanos();
        this.randomStart = b.randomStart;
        this.rebalanceIntervalNanos = positive("rebalanceInterval", b.rebalanceInterval).toNanos();
        this.connectReports = new ThrottledStatus(b.status, b.reportInterval);
        this.failoverReports = new ThrottledStatus(b.status, b.reportInterval);
        // names are resolved on the first connect, on the caller's (sender's) thread: a slow name
        // service must never hold up whoever builds the publisher (an application's logging set-up)
        this.brokers = resolver.configured();
        this.needsResolve = true;
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("no brokers configured");
        }
    }

    /** A publisher for these brokers (names are expanded to their addresses). */
    public static Builder builder(List<BrokerAddress> brokers) {
        return builder(new BrokerResolver(brokers));
    }

    public static Builder builder(BrokerResolver resolver) {
        return new Builder(resolver);
    }

    /**
     * A publisher configured from the shared client settings ({@code brokers}, {@code login},
     * {@code passcode}/{@code passcodeFile}, TLS stores), with default timeouts.
     *
     * @throws IllegalArgumentException naming the setting when no broker is configured or the passcode file is unreadable
     */
    public static Publisher fromSettings(ClientSettings settings, Status status) {
        List<BrokerAddress> configured = settings.brokers();
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("no brokers configured: set " + ClientSettings.propertyName(ClientSettings.BROKERS)
                    + " or " + ClientSettings.environmentName(ClientSettings.BROKERS) + " (tcp://host:61613,...)");
        }
        SessionConfig config = SessionConfig.builder().credentials(settings.credentials()).tls(settings.tls()).build();
        return builder(configured).sessionConfig(config).status(status).build();
    }

    /**
     * Makes sure a connection to some broker is open: keeps the current one if it is alive, else
     * tries each broker once, within the round timeout.
     */
    public void connect() throws PublishException {
        run(null, roundTimeout);
    }

    /** {@link #connect()} within at most {@code timeLimit} (and the round timeout). */
    public void connect(Duration timeLimit) throws PublishException {
        run(null, timeLimit);
    }

    /**
     * Sends every message of {@code batch}, in order, and returns once a broker confirmed all of
     * them; fails over as the class description says.
     *
     * @throws PublishException when no broker confirmed the batch after each was tried once, the
     *     round timeout passed, or the publisher was aborted or closed
     */
    public List<Refusal> publish(List<OutboundMessage> batch) throws PublishException {
        return publish(batch, roundTimeout);
    }

    /**
     * {@link #publish(List)} within at most {@code timeLimit} (and the round timeout).
     *
     * @return the messages a broker refused for a reason of their own (not authorised to write to
     *     their destination, too large), each identified by a receipt; every other message of the
     *     batch was confirmed. Usually empty.
     */
    public List<Refusal> publish(List<OutboundMessage> batch, Duration timeLimit) throws PublishException {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return Collections.emptyList();
        }
        return run(batch, timeLimit);
    }

    /** True while a connection is open (it may still turn out dead on the next send). */
    public boolean isConnected() {
        StompSession s = session;
        return s != null && s.isOpen();
    }

    /** The broker of the open connection, or null. */
    public BrokerAddress connectedBroker() {
        StompSession s = session;
        return s != null && s.isOpen() ? s.address() : null;
    }

    /** The broker that confirmed the last batch {@link #publish} sent, or null before the first. */
    public BrokerAddress lastConfirmedBy() {
        return lastConfirmedBy;
    }

    /** Connections given up because they failed (ERROR frame, broken, silent, receipt timeout) since this publisher was built. */
    public long failovers() {
        return failovers.get();
    }

    /** The brokers as last resolved, in configuration order. */
    public List<BrokerAddress> brokers() {
        return brokers;
    }

    /**
     * Makes the call in progress, and every later one, give up at once with a {@link PublishException}
     * and closes the connection. For shutdown: a caller that can wait no longer calls it from another thread.
     */
    public void abort() {
        aborted = true;
        StompSession s = session;
        if (s != null) {
            s.close();
        }
    }

    /** Disconnects (waiting at most the session's disconnect timeout); idempotent; later calls fail. */
    @Override
    public void close() {
        closed = true;
        StompSession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        BrokerAddress connected = connectedBroker();
        return "Publisher[" + brokers + ", " + (connected == null ? "not connected" : "connected to " + connected)
                + ", " + failovers.get() + " failovers]";
    }

    // ---- a window of flights (the sender's pipeline)

    /**
     * Sends {@code messages} on the open connection (connecting first, as {@link #connect()} does,
     * if there is none) and returns without waiting: the flight carries a receipt for the last
     * frame to each destination, which the caller awaits later, so that several flights are in
     * the pipe at once. A write that fails is not thrown but shows in {@link Flight#await}.
     *
     * @throws PublishException when no broker accepted a connection
     */
    Flight dispatch(List<OutboundMessage> messages) throws PublishException {
        StompSession s = session;
        if (s == null || !s.isOpen()) {
            run(null, roundTimeout);
            s = session;
            if (s == null) {
                throw new PublishException("no connection after connecting (aborted or closed)");
            }
        }
        Map<String, Integer> lastPerDestination = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            lastPerDestination.put(messages.get(i).destination(), i);
        }
        List<Receipt> receipts = new ArrayList<>(lastPerDestination.size());
        List<Integer> receiptIndex = new ArrayList<>(lastPerDestination.size());
        try {
            for (int i = 0; i < messages.size(); i++) {
                OutboundMessage m = messages.get(i);
                if (lastPerDestination.get(m.destination()) == i) {
                    receipts.add(s.sendWithReceipt(m.destination(), m.headers(), m.body()));
                    receiptIndex.add(i);
                } else {
                    s.send(m.destination(), m.headers(), m.body());
                }
            }
            return new Flight(s, receipts, receiptIndex, null);
        } catch (IOException e) {
            return new Flight(s, receipts, receiptIndex, e);
        }
    }

    /**
     * Closes the connection of a flight whose receipts did not all come (ERROR frame, broken or
     * silent connection, receipt timeout), counts and reports the failover; the caller sends what
     * was unconfirmed again.
     */
    void giveUp(Flight flight, int unconfirmed) {
        abandon(flight.session, flight.failure(), unconfirmed);
    }

    /** True when the connection has been to one broker longer than the (jittered) rebalance interval. */
    boolean rebalanceDue() {
        StompSession s = session;
        return s != null && s.isOpen() && System.nanoTime() - rebalanceAtNanos > 0 && brokers.size() > 1;
    }

    /**
     * Closes the connection (the caller waited for every receipt first) so that the next call
     * connects to a broker picked at random: producers spread again over brokers that came back.
     */
    void rebalance() {
        StompSession s = session;
        if (s != null) {
            session = null;
            s.close();
        }
        index = ThreadLocalRandom.current().nextInt(brokers.size()); // nextBroker() takes the one after it
        rebalanceAtNanos = Long.MAX_VALUE;
    }

    private void scheduleRebalance() {
        // jittered, so that producers that failed over together do not move together again
        long jitter = ThreadLocalRandom.current().nextLong(rebalanceIntervalNanos / 2 + 1);
        rebalanceAtNanos = System.nanoTime() + rebalanceIntervalNanos / 2 + jitter + rebalanceIntervalNanos / 4;
    }

    /**
     * Messages sent on one connection, not yet confirmed: the receipts of the last frame to each
     * destination. Owned by the sending thread.
     */
    static final class Flight {
        private final StompSession session;
        private final List<Receipt> receipts;
        /** Per receipt, the index of the message that carried it. */
        private final List<Integer> receiptIndex;
        private final IOException sendFailure;

        Flight(StompSession session, List<Receipt> receipts, List<Integer> receiptIndex, IOException sendFailure) {
            this.session = session;
            this.receipts = receipts;
            this.receiptIndex = receiptIndex;
            this.sendFailure = sendFailure;
        }

        /**
         * The index of the message an ERROR frame named by its receipt (the broker refused that
         * message: not authorised, too large), or -1.
         */
        int refusedMessage() {
            for (int r = 0; r < receipts.size(); r++) {
                Throwable why = receipts.get(r).failure();
                if (why instanceof StompErrorException
                        && receipts.get(r).id().equals(((StompErrorException) why).receiptId())) {
                    return receiptIndex.get(r);
                }
            }
            return -1;
        }

        /**
         * The index of the last message the broker confirmed, or -1: a receipt covers every
         * earlier frame of its connection, since the broker handles them in order.
         */
        int confirmedUpTo() {
            int upTo = -1;
            for (int r = 0; r < receipts.size(); r++) {
                if (receipts.get(r).isConfirmed()) {
                    upTo = Math.max(upTo, receiptIndex.get(r));
                }
            }
            return upTo;
        }

        /**
         * Waits for every receipt, each at most {@code timeout}.
         *
         * @return true once the broker confirmed every message; false when a send or receipt
         *     failed or timed out (then {@link #failure()} says why)
         */
        boolean await(Duration timeout) throws InterruptedException {
            if (sendFailure != null) {
                return false;
            }
            for (Receipt r : receipts) {
                if (!r.await(timeout)) {
                    return false;
                }
            }
            return true;
        }

        /** True once the broker confirmed every message of the flight. */
        boolean isConfirmed() {
            return sendFailure == null && receipts.stream().allMatch(Receipt::isConfirmed);
        }

        Throwable failure() {
            if (sendFailure != null) {
                return sendFailure;
            }
            for (Receipt r : receipts) {
                if (r.failure() != null) {
                    return r.failure();
                }
            }
            return new SocketTimeoutException("no receipt from " + session.address());
        }

        BrokerAddress broker() {
            return session.address();
        }
    }

    // ---- the round

    private List<Refusal> run(List<OutboundMessage> batch, Duration timeLimit) throws PublishException {
        Duration limit = timeLimit.compareTo(roundTimeout) < 0 ? timeLimit : roundTimeout;
        long deadline = System.nanoTime() + Math.max(0, limit.toNanos());
        List<String> tried = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        refreshBrokers(session == null || !session.isOpen());
        int budget = brokers.size();
        int freshAttempts = 0;
        String stopReason = null;
        // the messages still to confirm, by their index in the batch; refusals take messages out
        Pending pending = batch == null ? null : new Pending(batch);
        List<Refusal> refusals = new ArrayList<>();
        while (true) {
            if (closed || aborted) {
                stopReason = closed ? "the publisher is closed" : "the publisher was aborted";
                break;
            }
            StompSession s = session;
            if (s == null || !s.isOpen()) {
                if (s != null) {
                    // died while idle (killed or silent broker): that broker's turn is over
                    abandon(s, s.failure(), 0);
                }
                if (freshAttempts >= budget) {
                    break;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    stopReason = "the time limit of " + limit + " ran out";
                    break;
                }
                BrokerAddress target = nextBroker();
                freshAttempts++;
                try {
                    s = open(target, remaining);
                } catch (IOException | RuntimeException e) {
                    tried.add(target + " (" + e.getMessage() + ")");
                    failures.add(e);
                    continue;
                }
                session = s;
                scheduleRebalance();
                if (aborted || closed) {
                    continue; // abort() may have missed this session: the loop ends and closes it below
                }
                connectReports.info("dqlog: connected to broker " + target
                        + (s.server() == null ? "" : " (" + s.server() + ")"));
            }
            if (pending == null) {
                return Collections.emptyList();
            }
            try {
                sendBatch(s, pending, deadline);
                lastConfirmedBy = s.address();
                return refusals;
            } catch (RefusedSend refused) {
                // the broker closes the connection after its ERROR: reconnect and send the rest
                refusals.add(new Refusal(refused.index, batch.get(refused.index), refused.reason));
                closeQuietly(s);
                freshAttempts--;
                if (pending.isEmpty()) {
                    lastConfirmedBy = s.address();
                    return refusals;
                }
            } catch (StompErrorException e) {
                if (!pending.oneByOne && looksLikeAboutOneMessage(e)) {
                    // which message? send the batch again with a receipt on every SEND: the ERROR names it
                    pending.oneByOne = true;
                    closeQuietly(s);
                    freshAttempts--;
                    continue;
                }
                tried.add(s.address() + " (" + e.getMessage() + ")");
                failures.add(e);
                abandon(s, e, pending.size());
            } catch (IOException e) {
                tried.add(s.address() + " (" + e.getMessage() + ")");
                failures.add(e);
                abandon(s, e, pending.size());
            }
        }
        StompSession leftover = session;
        if ((aborted || closed) && leftover != null) {
            session = null;
            leftover.close();
        }
        String text = "no broker " + (batch == null ? "accepted a connection"
                : "confirmed the batch of " + batch.size() + " message(s)")
                + (stopReason == null ? "" : ", and " + stopReason)
                + (tried.isEmpty() ? "" : "; tried " + String.join(", ", tried));
        // one classifier of a permanent "no" for all callers: senders retry it slowly, a panic gives up
        boolean everyBrokerRefused = stopReason == null && freshAttempts >= budget && !failures.isEmpty()
                && failures.stream().allMatch(Refusals::isPermanent);
        PublishException failure = everyBrokerRefused
                ? new LoginRefusedException("every broker refused the login or the certificate: " + String.join(", ", tried))
                : new PublishException(text);
        for (Throwable t : failures) {
            failure.addSuppressed(t);
        }
        failure.everyBrokerRefused(everyBrokerRefused);
        throw failure;
    }

    /**
     * ERROR frames that concern one message rather than the connection (ActiveMQ: "User x is not
     * authorized to write to: queue://...", a frame over the broker's maximum size). Anything else
     * is treated as a failing broker.
     */
    static boolean looksLikeAboutOneMessage(StompErrorException e) {
        if (e.receiptId() != null) {
            return true;
        }
        String text = (e.getMessage() + " " + e.details()).toLowerCase(java.util.Locale.ROOT);
        return text.contains("not authorized") || text.contains("authoriz") || text.contains("too large")
                || text.contains("exceed") || text.contains("maximum") || text.contains("max frame");
    }

    private void closeQuietly(StompSession s) {
        if (session == s) {
            session = null;
        }
        s.close();
    }

    private StompSession open(BrokerAddress target, long remainingNanos) throws IOException {
        SessionConfig config = sessionConfig;
        if (remainingNanos < config.connectTimeout().toNanos()) {
            config = config.toBuilder().connectTimeout(Duration.ofNanos(Math.max(MIN_CONNECT_NANOS, remainingNanos))).build();
        }
        return StompSession.open(target, config, SessionListener.IGNORE);
    }

    /**
     * Sends the pending messages with a receipt on the last frame per destination (or, once an
     * ERROR concerned one message, on every frame) and waits for every receipt. The receipts of
     * one connection come in order, so waiting for each in turn costs nothing extra. Messages
     * confirmed one by one leave {@code pending}.
     *
     * @throws RefusedSend when an ERROR names one message (it and the confirmed ones leave {@code pending})
     */
    private void sendBatch(StompSession s, Pending pending, long deadline) throws IOException {
        List<OutboundMessage> messages = pending.messages();
        Map<String, Integer> lastPerDestination = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            lastPerDestination.put(messages.get(i).destination(), i);
        }
        List<Receipt> receipts = new ArrayList<>(pending.oneByOne ? messages.size() : lastPerDestination.size());
        List<Integer> receiptIndex = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            OutboundMessage m = messages.get(i);
            if (pending.oneByOne || lastPerDestination.get(m.destination()) == i) {
                receipts.add(s.sendWithReceipt(m.destination(), m.headers(), m.body()));
                receiptIndex.add(i);
            } else {
                s.send(m.destination(), m.headers(), m.body());
            }
        }
        List<Integer> confirmed = new ArrayList<>();
        for (int r = 0; r < receipts.size(); r++) {
            Receipt receipt = receipts.get(r);
            long remaining = Math.min(sessionConfig.receiptTimeout().toNanos(), deadline - System.nanoTime());
            boolean ok;
            try {
                ok = receipt.await(Duration.ofNanos(Math.max(0, remaining)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the receipt of " + s.address());
            }
            if (ok) {
                if (pending.oneByOne) {
                    confirmed.add(receiptIndex.get(r));
                }
                continue;
            }
            Throwable why = receipt.failure();
            if (why instanceof StompErrorException) {
                StompErrorException error = (StompErrorException) why;
                int culprit = culprit(error, receipts, receiptIndex, r, pending.oneByOne);
                if (culprit >= 0) {
                    int original = pending.indexOf(culprit);
                    pending.removeAll(confirmed, culprit);
                    throw new RefusedSend(original, error.getMessage());
                }
            }
            pending.removeAll(confirmed, -1);
            if (why != null) {
                throw why instanceof IOException ? (IOException) why
                        : new IOException("session to " + s.address() + " failed: " + why, why);
            }
            throw new SocketTimeoutException("no receipt from " + s.address() + " within "
                    + Duration.ofNanos(Math.max(0, remaining)));
        }
    }

    /**
     * The pending position of the message an ERROR refused: the one whose receipt it names, or,
     * with a receipt on every frame, the first unconfirmed one if the ERROR is about a message;
     * -1 if it cannot be told.
     */
    private static int culprit(StompErrorException error, List<Receipt> receipts, List<Integer> receiptIndex,
                               int firstUnconfirmed, boolean oneByOne) {
        if (error.receiptId() != null) {
            for (int r = 0; r < receipts.size(); r++) {
                if (receipts.get(r).id().equals(error.receiptId())) {
                    return receiptIndex.get(r);
                }
            }
        }
        return oneByOne && looksLikeAboutOneMessage(error) ? receiptIndex.get(firstUnconfirmed) : -1;
    }

    /** The messages of a batch not yet confirmed nor refused, with their index in the batch. */
    private static final class Pending {
        private final List<OutboundMessage> messages = new ArrayList<>();
        private final List<Integer> indexes = new ArrayList<>();
        boolean oneByOne;

        Pending(List<OutboundMessage> batch) {
            for (int i = 0; i < batch.size(); i++) {
                messages.add(batch.get(i));
                indexes.add(i);
            }
        }

        List<OutboundMessage> messages() {
            return messages;
        }

        int indexOf(int position) {
            return indexes.get(position);
        }

        int size() {
            return messages.size();
        }

        boolean isEmpty() {
            return messages.isEmpty();
        }

        /** Takes out the confirmed positions and the refused one (or none: -1). */
        void removeAll(List<Integer> confirmed, int refused) {
            java.util.TreeSet<Integer> gone = new java.util.TreeSet<>(confirmed);
            if (refused >= 0) {
                gone.add(refused);
            }
            for (Integer position : gone.descendingSet()) {
                messages.remove((int) position);
                indexes.remove((int) position);
            }
        }
    }

    /** An ERROR frame named one message of the batch. */
    private static final class RefusedSend extends IOException {
        private static final long serialVersionUID = 1L;
        final int index;
        final String reason;

        RefusedSend(int index, String reason) {
            super(reason);
            this.index = index;
            this.reason = reason;
        }
    }

    /** Closes a failed session and moves on; counts the failover and reports it (rate-limited). */
    private void abandon(StompSession s, Throwable cause, int unconfirmed) {
        if (session == s) {
            session = null;
        }
        s.close();
        if (aborted || closed) {
            return;
        }
        failovers.incrementAndGet();
        failoverReports.warn("dqlog: broker " + s.address() + " failed"
                + (cause == null ? "" : " (" + cause.getMessage() + ")")
                + (unconfirmed > 0 ? "; sending the " + unconfirmed + " unconfirmed message(s) to the next broker"
                        : "; moving to the next broker"), null);
    }

    private BrokerAddress nextBroker() {
        List<BrokerAddress> list = brokers;
        if (index < 0) {
            index = randomStart ? ThreadLocalRandom.current().nextInt(list.size()) : 0;
        } else {
            index = (index + 1) % list.size();
        }
        return list.get(index);
    }

    /** Resolves the names on the first round, again on a reconnect, and periodically; keeps the rotation where it was. */
    private void refreshBrokers(boolean reconnecting) {
        long now = System.nanoTime();
        if (!needsResolve && !reconnecting && now - resolvedAtNanos < resolveIntervalNanos) {
            return;
        }
        needsResolve = false;
        resolvedAtNanos = now;
        List<BrokerAddress> fresh = resolver.resolve();
        if (fresh.isEmpty() || fresh.equals(brokers)) {
            return;
        }
        BrokerAddress current = index >= 0 && index < brokers.size() ? brokers.get(index) : null;
        brokers = Collections.unmodifiableList(new ArrayList<>(fresh));
        int at = current == null ? -1 : fresh.indexOf(current);
        index = at >= 0 ? at : index < 0 ? -1 : index % fresh.size();
    }

    /** Options of a {@link Publisher}. Not thread-safe. */
    public static final class Builder {
        private final BrokerResolver resolver;
        private SessionConfig sessionConfig = SessionConfig.DEFAULTS;
        private Status status = Status.SILENT;
        private Duration roundTimeout = DEFAULT_ROUND_TIMEOUT;
        private Duration resolveInterval = DEFAULT_RESOLVE_INTERVAL;
        private Duration reportInterval = ThrottledStatus.DEFAULT_INTERVAL;
        private boolean randomStart = true;
        private Duration rebalanceInterval = SenderConfig.DEFAULT_REBALANCE_INTERVAL;

        private Builder(BrokerResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        /** Credentials, TLS, heart-beat and the timeouts of each connection; the receipt timeout bounds each receipt wait. */
        public Builder sessionConfig(SessionConfig value) {
            this.sessionConfig = Objects.requireNonNull(value, "sessionConfig");
            return this;
        }

        public Builder status(Status value) {
            this.status = Objects.requireNonNull(value, "status");
            return this;
        }

        /** Longest one call tries brokers; default {@link Publisher#DEFAULT_ROUND_TIMEOUT}. */
        public Builder roundTimeout(Duration value) {
            this.roundTimeout = value;
            return this;
        }

        /** How often names are resolved again while connected; default {@link Publisher#DEFAULT_RESOLVE_INTERVAL}. */
        public Builder resolveInterval(Duration value) {
            this.resolveInterval = value;
            return this;
        }

        /** Least time between two connect reports, and between two failover reports; default {@link ThrottledStatus#DEFAULT_INTERVAL}. */
        public Builder reportInterval(Duration value) {
            this.reportInterval = Objects.requireNonNull(value, "reportInterval");
            return this;
        }

        /**
         * True (the default): start at a random broker, so that a fleet of producers spreads over
         * the brokers; false: start at the first configured one.
         */
        public Builder randomStart(boolean value) {
            this.randomStart = value;
            return this;
        }

        /** How long to stay with one broker before {@link Publisher#rebalanceDue()}; default {@link SenderConfig#DEFAULT_REBALANCE_INTERVAL}. */
        public Builder rebalanceInterval(Duration value) {
            this.rebalanceInterval = value;
            return this;
        }

        /** @throws IllegalArgumentException when no broker is configured or a duration is not positive */
        public Publisher build() {
            return new Publisher(this);
        }
    }
}
