package dev.loomevent.loadtest.target;

import dev.loomevent.loadtest.report.MeterSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server in a child process, pinned to its CPUs with {@code taskset} when asked. It prints
 * {@code LISTENING <port> <pid>} once it listens; on standard input it takes {@code metrics}
 * (answered by meter lines and {@code END}) and {@code quit}; the end of its input also stops it.
 * <p>Any thread; {@code lock} serializes the conversation on the child's standard streams.
 */
final class ChildServer implements RunningTarget {
    private static final long START_TIMEOUT_SECONDS = 60;

    private final String name;
    private final String description;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final InetSocketAddress address;
    private final long pid;
    private final int cpus;
    private final boolean ours;
    private final ReentrantLock lock = new ReentrantLock();

    private ChildServer(String name, String description, Process process, BufferedReader out, InetSocketAddress address,
                        long pid, int cpus, boolean ours) {
        this.name = name;
        this.description = description;
        this.process = process;
        this.out = out;
        this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.address = address;
        this.pid = pid;
        this.cpus = cpus;
        this.ours = ours;
    }

    /** Starts the harness's {@code serve} command for the JVM echo server {@code kind} in a child JVM. */
    static RunningTarget startJvm(String kind, TargetOptions o) {
        List<String> cmd = new ArrayList<>(pinning(o));
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-Xms" + o.serverHeap());
        cmd.add("-Xmx" + o.serverHeap());
        cmd.add("-XX:+AlwaysPreTouch");
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.loomevent.loadtest.Main", "serve",
                "--server", kind, "--port", "0", "--threads", Integer.toString(o.threads())));
        String where = o.serverCpus().isBlank() ? "not pinned" : "pinned to CPU " + o.serverCpus();
        return start(kind, "child JVM, heap " + o.serverHeap() + " pre-touched, " + o.threads() + " event loop(s), "
                + where, cmd, o, true);
    }

    /** Returns the {@code taskset -c CPUS} prefix, or nothing when not pinning or taskset is missing. */
    static List<String> pinning(TargetOptions o) {
        if (o.serverCpus().isBlank()) {
            return List.of();
        }
        if (!Pinning.tasksetAvailable()) {
            throw new IllegalStateException("pinning the server to CPU " + o.serverCpus()
                    + " needs taskset (apt-get install util-linux), or give --server-cpus ''");
        }
        return List.of("taskset", "-c", o.serverCpus());
    }

    /**
     * Starts {@code cmd} and waits (bounded) for its {@code LISTENING} line.
     *
     * @throws IllegalStateException if it does not start; the message holds the end of its output
     */
    static ChildServer start(String name, String description, List<String> cmd, TargetOptions o, boolean ours) {
        Path log;
        Process p;
        try {
            Files.createDirectories(o.logDir());
            log = o.logDir().resolve(name + "-server.log");
            p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the " + name + " server (" + String.join(" ", cmd) + "): " + e, e);
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("LISTENING ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        String line;
        try {
            line = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            line = null;
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the " + name + " server did not start (" + String.join(" ", cmd)
                    + "); its output ends with:\n" + tail(log));
        }
        String[] f = line.split(" ");
        int port = Integer.parseInt(f[1]);
        long pid = Long.parseLong(f[2]);
        int cpus = o.serverCpus().isBlank() ? 0 : o.serverCpuCount();
        return new ChildServer(name, description + ", PID " + pid, p, reader, new InetSocketAddress("127.0.0.1", port),
                pid, cpus, ours);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
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
        return cpus;
    }

    @Override
    public List<MeterSnapshot> metrics() {
        if (!ours || !process.isAlive()) {
            return List.of();
        }
        lock.lock();
        try {
            in.write("metrics\n");
            in.flush();
            List<MeterSnapshot> meters = new ArrayList<>();
            for (String line; (line = out.readLine()) != null && !line.equals("END"); ) {
                if (line.startsWith("METER\t")) {
                    meters.add(MeterSnapshot.parseLine(line));
                }
            }
            return meters;
        } catch (IOException e) {
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            in.write("quit\n");
            in.close();
        } catch (IOException ignored) {
            // the child is gone already
        } finally {
            lock.unlock();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
