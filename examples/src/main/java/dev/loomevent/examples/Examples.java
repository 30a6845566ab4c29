package dev.loomevent.examples;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an example by name: {@code ./loomevent example NAME ARGS...}; {@code list} prints them.
 * <p>Main thread only.
 */
public final class Examples {
    private Examples() {
    }

    /** An example's entry point: runs it with its arguments, printing to {@code out}, and returns the exit code. */
    @FunctionalInterface
    interface Main {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private record Example(String description, Main main) {
    }

    private static final Map<String, Example> EXAMPLES = register();

    private static Map<String, Example> register() {
        Map<String, Example> all = new LinkedHashMap<>();
        all.put("hello-world", new Example("sample/hello-world.c: greets each connection, closes when flushed; SIGINT exits [port] [exit-delay-ms]", HelloWorld::run));
        all.put("connect", new Example("bufferevent_socket_connect: prints CONNECTED or the error [ip] [port]", ConnectAndReport::run));
        all.put("http-client", new Example("trivial HTTP client over connect_hostname; reports DNS errors: host resource [port]", HttpClient::run));
        all.put("watermarks", new Example("read callback only at >= 128 bytes, reader stops at 64 KiB [port]", Watermarks::run));
        all.put("uppercase", new Example("sends every line back upper-cased [port]", UppercaseServer::run));
        all.put("proxy", new Example("sample/le-proxy.c: TCP proxy with watermark backpressure: listen-port target-host target-port", Proxy::run));
        all.put("fibonacci", new Example("write callback keeps the output topped up with Fibonacci numbers [port] [count]", FibonacciServer::run));
        all.put("chat", new Example("chat room: each line broadcast to the other members [port]", ChatServer::run));
        all.put("embedded", new Example("EventBaseGroup service with /metrics and graceful SIGTERM [port] [metrics-port] [grace-ms] [bases]", EmbeddedService::run));
        all.put("echo", new Example("echo server (the one compare.sh and the load-test harness drive) [port]", (args, out) -> {
            EchoServer.main(args);
            return 0;
        }));
        all.put("prometheus-echo", new Example("echo server with a Prometheus /metrics endpoint [echo-port [metrics-port]]", (args, out) -> {
            PrometheusEchoServer.main(args);
            return 0;
        }));
        all.put("version", new Example("prints the loomevent version (checks the engine is on the class path)", (args, out) -> {
            out.println("loomevent " + dev.loomevent.api.Loomevent.version());
            return 0;
        }));
        return all;
    }

    /** The examples' names and one-line descriptions, sorted by name. */
    static Map<String, String> catalogue() {
        Map<String, String> all = new TreeMap<>();
        EXAMPLES.forEach((name, example) -> all.put(name, example.description()));
        return all;
    }

    /**
     * Runs the example named by {@code args[0]} with the remaining arguments.
     *
     * @param args the example's name, then its arguments
     */
    public static void main(String[] args) {
        exitOnFailure(run(args, System.out, System.err));
    }

    /**
     * Exits the JVM with {@code code} when it is not 0. On success the examples return from
     * {@code main} instead, so that a thread left running shows up as a JVM that does not exit.
     */
    static void exitOnFailure(int code) {
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String name = args.length == 0 ? "list" : args[0];
        if (name.equals("list")) {
            catalogue().forEach((k, v) -> out.printf("%-16s %s%n", k, v));
            return 0;
        }
        Example example = EXAMPLES.get(name);
        if (example == null) {
            err.println("unknown example '" + name + "'; ./loomevent example list shows them");
            return 2;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        try {
            return example.main().run(rest, out);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return 1;
        } catch (Exception e) {
            err.println(name + ": " + e);
            return 1;
        }
    }
}
