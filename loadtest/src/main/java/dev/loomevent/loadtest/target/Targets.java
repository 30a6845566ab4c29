package dev.loomevent.loadtest.target;

import dev.loomevent.loadtest.report.MeterSnapshot;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts the targets named on the command line:
 * <ul>
 *   <li>{@code loomevent}: {@link LoomeventEchoServer}</li>
 *   <li>{@code netty} or {@code netty-nio}, {@code netty-epoll}: {@link NettyEchoServer}</li>
 *   <li>{@code java}: {@link JavaEchoServer}, a thread-per-connection baseline</li>
 *   <li>{@code libevent}: the C echo server built against Debian's libevent-dev ({@link LibeventEcho})</li>
 *   <li>{@code host:port}: any server already running</li>
 * </ul>
 * JVM servers run in a child JVM pinned with {@code taskset} unless {@link TargetOptions#inProcess()}.
 * <p>Any thread.
 */
public final class Targets {
    /** The names of the servers the harness can start. */
    public static final List<String> KNOWN = List.of("loomevent", "netty-nio", "netty-epoll", "java", "libevent");

    private Targets() {
    }

    /** Returns the canonical name of {@code spec} ({@code netty} becomes {@code netty-nio}). */
    public static String canonical(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        return s.equals("netty") ? "netty-nio" : s;
    }

    /**
     * Starts (or, for {@code host:port}, attaches to) the target {@code spec}.
     *
     * @throws IllegalArgumentException if {@code spec} is neither a known name nor host:port
     * @throws IllegalStateException    if the server cannot start (the message says why)
     */
    public static RunningTarget start(String spec, TargetOptions options) {
        String name = canonical(spec);
        if (name.equals("libevent")) {
            return LibeventEcho.start(options);
        }
        if (KNOWN.contains(name)) {
            return options.inProcess() ? inProcess(name, options) : ChildServer.startJvm(name, options);
        }
        return external(spec, options.serverPid());
    }

    /** Starts the JVM echo server {@code kind} in this JVM (used by {@code serve} and in-process runs). */
    public static EchoServer startEchoServer(String kind, InetSocketAddress address, int threads) {
        return switch (canonical(kind)) {
            case "loomevent" -> new LoomeventEchoServer(address, threads);
            case "netty-nio" -> new NettyEchoServer(address, false, threads);
            case "netty-epoll" -> new NettyEchoServer(address, true, threads);
            case "java" -> new JavaEchoServer(address);
            default -> throw new IllegalArgumentException("unknown JVM echo server '" + kind
                    + "' (loomevent, netty-nio, netty-epoll, java)");
        };
    }

    /** Wraps an echo server already running in this JVM (tests' special targets) as a target. */
    public static RunningTarget of(String name, EchoServer server) {
        return new InProcess(name, server, null, "in-process " + server.getClass().getSimpleName());
    }

    private static RunningTarget inProcess(String name, TargetOptions options) {
        EchoServer server = startEchoServer(name, new InetSocketAddress("127.0.0.1", 0), options.threads());
        ServerMetrics metrics = new ServerMetrics();
        return new InProcess(name, server, metrics, "in the harness's JVM (" + options.threads()
                + " event loop(s)); CPU and memory figures include the client");
    }

    private static RunningTarget external(String spec, long pid) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("unknown target '" + spec + "': give one of " + KNOWN + " or host:port");
        }
        String host = spec.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("target '" + spec + "': the port is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("target '" + spec + "': port must be in 1..65535, was " + port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        return new RunningTarget() {
            @Override
            public String name() {
                return spec;
            }

            @Override
            public String description() {
                return "external server" + (pid > 0 ? " (PID " + pid + ")" : "");
            }

            @Override
            public InetSocketAddress address() {
                return address;
            }

            @Override
            public long pid() {
                return pid;
            }

            @Override
            public boolean inProcess() {
                return false;
            }

            @Override
            public int cpus() {
                return 0;
            }

            @Override
            public List<MeterSnapshot> metrics() {
                return List.of();
            }

            @Override
            public void close() {
                // not ours to stop
            }
        };
    }

    private static final class InProcess implements RunningTarget {
        private final String name;
        private final EchoServer server;
        private final ServerMetrics metrics;
        private final String description;

        InProcess(String name, EchoServer server, ServerMetrics metrics, String description) {
            this.name = name;
            this.server = server;
            this.metrics = metrics;
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public InetSocketAddress address() {
            return server.address();
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public boolean inProcess() {
            return true;
        }

        @Override
        public int cpus() {
            return 0;
        }

        @Override
        public List<MeterSnapshot> metrics() {
            return metrics == null ? List.of() : new ArrayList<>(MeterSnapshot.of(metrics.registry()));
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                if (metrics != null) {
                    metrics.close();
                }
            }
        }
    }
}
