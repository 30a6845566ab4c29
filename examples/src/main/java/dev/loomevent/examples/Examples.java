package dev.loomevent.examples;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an example by name: {@code ./loomevent example NAME ARGS...}; {@code list} prints them.
 * <p>Main thread only.
 */
public final class Examples {
    private Examples() {
    }

    /** The examples, by the name the launcher takes. */
    static Map<String, String> catalogue() {
        Map<String, String> all = new TreeMap<>();
        all.put("version", "prints the loomevent version (checks the engine is on the class path)");
        all.put("prometheus-echo", "echo server with a Prometheus /metrics endpoint [echo-port [metrics-port]]");
        return all;
    }

    /**
     * Runs the example named by {@code args[0]} with the remaining arguments.
     *
     * @param args the example's name, then its arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String name = args.length == 0 ? "list" : args[0];
        switch (name) {
            case "list" -> catalogue().forEach((k, v) -> out.printf("%-12s %s%n", k, v));
            case "version" -> out.println("loomevent " + dev.loomevent.api.Loomevent.version());
            case "prometheus-echo" -> PrometheusEchoServer.main(rest(args));
            default -> {
                err.println("unknown example '" + name + "'; ./loomevent example list shows them");
                return 2;
            }
        }
        return 0;
    }

    private static String[] rest(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }
}
