package org.dqlog.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What the {@code <Stomp>} appender adds to an application's first logging call (issue 10: name
 * resolution, opening the spool and connecting belong on the sender's threads). One measurement
 * per JVM, since class loading is most of a first call: run it several times each way.
 *
 * <pre>java -cp CP org.dqlog.bench.FirstLogCall with|without|start [BROKER_URI]</pre>
 *
 * {@code start} times core's {@code AppenderBackend.start} alone on the calling thread, cold (first
 * in the JVM, class loading included) and warm: what the appender adds to the configuring thread,
 * without the noise of Log4j's own start-up.
 *
 * The default broker URI names a host in the reserved {@code .invalid} domain, so the name
 * service is asked and fails, as with a slow or broken resolver. Prints the milliseconds from
 * before the configuration to after the first {@code logger.info} returned, as wall time and as
 * the calling thread's CPU time: on a machine shared with other builds the wall time is mostly
 * waiting for a core, the CPU time is what the work costs.
 */
public final class FirstLogCall {

    private FirstLogCall() {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] argv) throws Exception {
        boolean with = argv.length > 0 && argv[0].equals("with");
        String broker = argv.length > 1 ? argv[1] : "tcp://dqlog-broker.invalid:61613";
        Path dir = Files.createTempDirectory("dqlog-first-call");
        if (argv.length > 0 && argv[0].equals("start")) {
            for (String round : new String[] {"cold", "warm", "warm"}) {
                org.dqlog.core.appender.AppenderSettings settings = new org.dqlog.core.appender.AppenderSettings()
                        .brokers(broker).app("first-call").spoolDir(dir.resolve("spool-" + System.nanoTime()).toString());
                long cpu = THREADS.getCurrentThreadCpuTime();
                long t = System.nanoTime();
                org.dqlog.core.appender.AppenderBackend backend = org.dqlog.core.appender.AppenderBackend.start(
                        settings, org.dqlog.core.Status.SILENT);
                long started = System.nanoTime() - t;
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                System.out.printf("AppenderBackend.start %s: %.2f ms on the calling thread (%.2f ms CPU) (broker %s); %s%n",
                        round, started / 1e6, cpu / 1e6, broker, Machine.describe());
                backend.close();
            }
            TempDirs.deleteQuietly(dir);
            return;
        }
        Path config = dir.resolve("log4j2.xml");
        String appender = with ? "<Stomp name=\"central\" brokers=\"" + broker + "\" app=\"first-call\" spoolDir=\""
                + dir.resolve("spool") + "\"/>" : "";
        String ref = with ? "<AppenderRef ref=\"central\"/>" : "";
        Files.writeString(config, "<Configuration status=\"off\"><Appenders>" + appender
                + "<Null name=\"null\"/></Appenders><Loggers><Root level=\"info\"><AppenderRef ref=\"null\"/>" + ref
                + "</Root></Loggers></Configuration>", StandardCharsets.UTF_8);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        LoggerContext context = Configurator.initialize("first-call", null, config.toUri());
        Logger logger = LogManager.getLogger("org.atlas.dqm.FirstCall");
        logger.info("first record of run {}", 456789);
        long elapsed = System.nanoTime() - start;
        cpu = THREADS.getCurrentThreadCpuTime() - cpu;
        System.out.printf("FirstLogCall %s appender: %.1f ms to configure and log once (%.1f ms CPU); %s%n",
                with ? "with" : "without", elapsed / 1e6, cpu / 1e6, Machine.describe());
        Configurator.shutdown(context);
        TempDirs.deleteQuietly(dir);
    }
}
