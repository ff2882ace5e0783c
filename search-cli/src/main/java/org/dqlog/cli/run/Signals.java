package org.dqlog.cli.run;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Signal handling of {@code dqlog run} while its command runs, through the JDK's
 * {@code sun.misc.Signal} (module jdk.unsupported), looked up reflectively so that a JVM without it
 * simply keeps its default handling. SIGINT is ignored (the terminal sent it to the command too),
 * SIGTERM and SIGHUP are passed on to the command. The old handlers come back on {@link Scope#close()}.
 *
 * <p>Thread-safe in the sense of the JDK's signal API; one scope at a time is expected.
 */
final class Signals {

    private Signals() { }

    /** Restores the previous handlers. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static Scope whileRunning(Process command) {
        List<Object[]> restore = new ArrayList<>();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object ignore = handlerClass.getField("SIG_IGN").get(null);
            Object forward = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    forwardTo(command));
            install(restore, handle, newSignal.newInstance("INT"), ignore);
            install(restore, handle, newSignal.newInstance("TERM"), forward);
            install(restore, handle, newSignal.newInstance("HUP"), forward);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // no sun.misc.Signal here: default handling (a Ctrl-C ends dqlog run with the command)
        }
        return () -> {
            for (Object[] r : restore) {
                try {
                    ((Method) r[0]).invoke(null, r[1], r[2]);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // best effort: the JVM is about to exit anyway
                }
            }
        };
    }

    private static void install(List<Object[]> restore, Method handle, Object signal, Object handler) {
        try {
            Object old = handle.invoke(null, signal, handler);
            restore.add(new Object[] {handle, signal, old});
        } catch (ReflectiveOperationException | RuntimeException e) {
            // this signal cannot be handled here (the JVM uses it): leave it as it is
        }
    }

    private static InvocationHandler forwardTo(Process command) {
        return (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
                command.destroy();
                return null;
            }
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            return "dqlog-run-forward";
        };
    }
}
