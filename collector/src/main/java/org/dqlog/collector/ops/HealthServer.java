package org.dqlog.collector.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.dqlog.collector.config.HttpConfig;
import org.dqlog.core.Status;
import org.dqlog.core.Timestamps;

/**
 * Serves {@code GET /health} and {@code GET /metrics} from {@link CollectorMetrics} with the JDK's
 * HTTP server. {@code /health} answers 200 when the collector consumes from at least one broker,
 * the disk has room, and what waits is being archived (no pipeline stalled or dead), else 503; both with a small JSON body that names each broker's state.
 * {@code /metrics} answers in Prometheus text format 0.0.4. The endpoints need no login, which is
 * why the default address is loopback.
 *
 * <p>Thread-safe: requests are handled one at a time on a daemon thread of its own; {@link #close()}
 * may be called from any thread, more than once.
 */
public final class HealthServer implements AutoCloseable {

    public static final String HEALTH_PATH = "/health";
    public static final String METRICS_PATH = "/metrics";
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final CollectorMetrics metrics;
    private final JsonFactory json = new JsonFactory();

    private HealthServer(HttpServer server, ExecutorService executor, CollectorMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Starts on {@code http.bind}:{@code http.port}; the caller checks {@code http.enabled}. */
    public static HealthServer start(HttpConfig http, CollectorMetrics metrics, Status status) throws IOException {
        return start(http.socketAddress(), metrics, status);
    }

    /**
     * Starts listening; port 0 picks a free port ({@link #port()} tells which).
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static HealthServer start(InetSocketAddress address, CollectorMetrics metrics, Status status)
            throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        if (address.isUnresolved()) {
            throw new IOException("cannot serve /health and /metrics on " + address.getHostString()
                    + ": the name does not resolve");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot serve /health and /metrics on " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dqlog-http");
            t.setDaemon(true);
            return t;
        });
        HealthServer health = new HealthServer(server, executor, metrics);
        server.createContext("/", health::handle);
        server.setExecutor(executor);
        server.start();
        status.info("health and metrics on " + health.baseUri().resolve(HEALTH_PATH) + " and " + METRICS_PATH);
        return health;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://ADDRESS:PORT/}. */
    public URI baseUri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n", false);
            } else if (path.equals(HEALTH_PATH)) {
                // One reading of each, so the status code and the body agree.
                List<BrokerState> brokers = metrics.brokers();
                boolean diskRoom = metrics.diskHasRoom();
                List<String> progress = metrics.progressProblems();
                boolean healthy = brokers.stream().anyMatch(BrokerState::up) && diskRoom && progress.isEmpty();
                respond(exchange, healthy ? 200 : 503, JSON_TYPE, healthJson(brokers, diskRoom, progress, healthy),
                        head);
            } else if (path.equals(METRICS_PATH)) {
                respond(exchange, 200, CollectorMetrics.expositionContentType(), metrics.exposition(), head);
            } else {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found; try " + HEALTH_PATH + " or "
                        + METRICS_PATH + "\n", head);
            }
        }
    }

    private static void respond(HttpExchange exchange, int code, String type, String body, boolean head)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (head) {
            exchange.sendResponseHeaders(code, -1);
            return;
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * {@code {"status":"ok"|"unavailable","problems":[...],"brokersUp":1,"brokers":[{"broker":...,
     * "up":true,"since":...,"reason":...}],"disk":{"hasRoom":true,"freeBytes":...,"minFreeBytes":...},
     * "recordsPerSecond":12.5}}.
     */
    private String healthJson(List<BrokerState> brokers, boolean diskRoom, List<String> progress, boolean healthy)
            throws IOException {
        long up = brokers.stream().filter(BrokerState::up).count();
        List<String> problems = new ArrayList<>();
        if (up == 0) {
            problems.add(brokers.isEmpty() ? "no broker known yet" : "not consuming from any broker");
        }
        if (!diskRoom) {
            problems.add("disk full: below minFreeBytes, not acknowledging");
        }
        problems.addAll(progress);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("status", healthy ? "ok" : "unavailable");
            g.writeArrayFieldStart("problems");
            for (String p : problems) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeNumberField("brokersUp", up);
            g.writeArrayFieldStart("brokers");
            for (BrokerState b : brokers) {
                g.writeStartObject();
                g.writeStringField("broker", b.broker());
                g.writeBooleanField("up", b.up());
                g.writeStringField("since", Timestamps.format(b.since()));
                if (b.reason() != null) {
                    g.writeStringField("reason", b.reason());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("disk");
            g.writeBooleanField("hasRoom", diskRoom);
            Long free = metrics.diskFreeBytes();
            if (free != null && free >= 0) {
                g.writeNumberField("freeBytes", free);
            }
            Long min = metrics.diskMinFreeBytes();
            if (min != null) {
                g.writeNumberField("minFreeBytes", min);
            }
            g.writeEndObject();
            g.writeNumberField("recordsPerSecond", Math.round(metrics.recordsPerSecond() * 1000) / 1000.0);
            g.writeEndObject();
        }
        return w.toString() + "\n";
    }
}
