package org.dqlog.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import org.dqlog.testkit.BrokerProcess;

/** Real broker processes for the end-to-end tests. */
final class Brokers {

    private Brokers() {
    }

    /** Two brokers on free ports, started side by side (each JVM takes seconds to start). */
    static List<BrokerProcess> startTwo(Path dir) {
        return startTwo(dir, 0, 0);
    }

    /** Two brokers on the given ports (0: a free one), started side by side. */
    static List<BrokerProcess> startTwo(Path dir, int portA, int portB) {
        CompletableFuture<BrokerProcess> a = CompletableFuture.supplyAsync(() -> start(dir.resolve("broker-a"), "broker-a", portA));
        CompletableFuture<BrokerProcess> b = CompletableFuture.supplyAsync(() -> start(dir.resolve("broker-b"), "broker-b", portB));
        try {
            return List.of(a.join(), b.join());
        } catch (CompletionException e) {
            a.thenAccept(BrokerProcess::close);
            b.thenAccept(BrokerProcess::close);
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * A broker builder with this JVM's class path less Logback and Log4j (the applications' frameworks
     * are on it): ActiveMQ logs through SLF4J, which then finds slf4j-nop instead of a Logback that
     * would print every DEBUG line of the broker.
     */
    static BrokerProcess.Builder builder(Path data, String name) {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback") && !entry.contains("log4j"))
                .collect(Collectors.joining(File.pathSeparator));
        return BrokerProcess.builder(data).name(name).classpath(classpath);
    }

    private static BrokerProcess start(Path data, String name, int port) {
        try {
            return builder(data, name).port(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tcp://a,tcp://b}, as the appenders take it. */
    static String uris(List<BrokerProcess> brokers) {
        return String.join(",", brokers.stream().map(BrokerProcess::uri).toList());
    }

    static List<String> uriList(List<BrokerProcess> brokers) {
        return brokers.stream().map(BrokerProcess::uri).toList();
    }

    /** A loopback port nothing listens on now (a broker may be started on it later). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
