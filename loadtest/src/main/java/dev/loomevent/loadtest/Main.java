package dev.loomevent.loadtest;

import dev.loomevent.loadtest.scenario.Scenario;
import dev.loomevent.loadtest.scenario.ScenarioConfig;
import dev.loomevent.loadtest.target.Targets;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The load-test harness's command line: {@code ./loomevent loadtest --help}.
 * <p>Main thread only.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "loomevent loadtest 0.1",
        description = {"Drives echo servers (loomevent's, libevent's, Netty's or any host:port) and reports.",
            "Every echoed message is checked (sequence number + CRC32C); a wrong or lost byte fails the run (exit 1).",
            "Targets: " + "loomevent, netty (= netty-nio), netty-epoll, java, libevent, or host:port."},
        subcommands = {Main.Demo.class, Main.Compare.class, Main.Serve.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Scenario s : Scenario.values()) {
            CommandLine sub = new CommandLine(new ScenarioCommand(s));
            sub.getCommandSpec().usageMessage().description(s.description(),
                    "Defaults: " + ScenarioConfig.defaults(s).describe());
            cl.addSubcommand(s.id(), sub);
        }
        cl.setExecutionExceptionHandler((e, cmd, parse) -> {
            cmd.getErr().println("loadtest: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return Harness.SETUP_ERROR;
        });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static String commandOf(CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "loadtest " + String.join(" ", args);
    }

    /** One scenario against one target. */
    @Command(mixinStandardHelpOptions = true)
    static final class ScenarioCommand implements Callable<Integer> {
        private final Scenario scenario;
        @Spec
        CommandSpec spec;
        @Mixin
        RunOptions options;
        @Option(names = {"-t", "--target"}, paramLabel = "TARGET", defaultValue = "loomevent",
                description = "loomevent, netty (= netty-nio), netty-epoll, java, libevent, or host:port. Default: ${DEFAULT-VALUE}.")
        String target;

        ScenarioCommand(Scenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return Harness.run(commandOf(spec), options.config(scenario), List.of(target), options, out, err,
                    scenario.id() + "-" + Targets.canonical(target));
        }
    }

    /** One scenario against several targets, with ratios to libevent. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Runs one scenario against several targets, one after another, and prints each result",
                "and its ratio to libevent (or to the first target). Servers run pinned to --server-cpus, the client",
                "on the other CPUs. --connections-list 1,100,1000 runs one comparison per value; --rounds N repeats",
                "each comparison N times with the servers kept running."})
    static final class Compare implements Callable<Integer> {
        /** compare's default warm-up, longer than the other commands' (see {@link RunOptions#warmup}). */
        static final Duration COMPARE_WARMUP = Duration.ofSeconds(10);

        /**
         * Gives {@code o} compare's own defaults: each target is a fresh server, and a JVM pinned to
         * one CPU is still compiling after the 2 s other commands warm up for, which would measure
         * its JIT rather than its steady state.
         */
        static void applyDefaults(RunOptions o) {
            if (o.warmup == null && o.messages == null) {
                o.warmup = COMPARE_WARMUP;
            }
        }
        @Spec
        CommandSpec spec;
        @Mixin
        RunOptions options;
        @Option(names = "--scenario", paramLabel = "SCENARIO", defaultValue = "pingpong",
                description = "pingpong, rate, stream, churn, idle or mixed. Default: ${DEFAULT-VALUE}.")
        String scenario;
        @Option(names = "--targets", paramLabel = "LIST", split = ",", defaultValue = "libevent,loomevent,netty-nio,netty-epoll",
                description = "The targets, comma-separated. Default: ${DEFAULT-VALUE}.")
        List<String> targets;
        @Option(names = "--connections-list", paramLabel = "LIST", split = ",",
                description = "Run the comparison once per connection count (e.g. 1,100,1000).")
        List<Integer> connectionsList;
        @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
                description = {"Start the servers once and measure them in turn N times; report each target's median",
                    "ratio to the baseline of the same round, which cancels most of a shared machine's drift.",
                    "Rounds after the first warm up for 2 s at most. pingpong, rate, stream and churn only. Default: ${DEFAULT-VALUE}."})
        int rounds;

        @Override
        public Integer call() {
            Scenario s = Scenario.of(scenario);
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be >= 1, was " + rounds);
            }
            if (rounds > 1 && (s == Scenario.IDLE || s == Scenario.MIXED)) {
                throw new IllegalArgumentException("--rounds needs pingpong, rate, stream or churn, not " + s.id()
                        + ": idle and mixed measure a fresh server");
            }
            if (rounds > 1 && targets.stream().map(Targets::canonical).distinct().count() < targets.size()) {
                throw new IllegalArgumentException("--rounds needs distinct targets, got " + String.join(",", targets)
                        + ": each round pairs every target with the baseline by name");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Integer> counts = connectionsList == null || connectionsList.isEmpty()
                    ? Arrays.asList((Integer) null) : connectionsList;
            applyDefaults(options);
            int code = 0;
            for (Integer c : counts) {
                if (c != null) {
                    options.connections = c;
                }
                ScenarioConfig config = options.config(s);
                String title = "compare-" + s.id() + "-c" + config.connections();
                int rc = rounds > 1
                        ? Harness.runRounds(commandOf(spec), config, rounds, targets, options, out, err, title)
                        : Harness.run(commandOf(spec), config, targets, options, out, err, title);
                code = Math.max(code, rc);
            }
            return code;
        }
    }

    /** The README's main command: a loomevent echo server under a short mixed load, with a report. */
    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = {"Starts a loomevent echo server (a child JVM pinned to CPU 0 when there are 2+ CPUs) and",
                "runs a short mixed load against it: pingpong, open-loop rate, stream, churn and idle connections.",
                "Prints the summary and the path of the HTML report (under loadtest-results/)."})
    static final class Demo implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RunOptions options;
        @Option(names = {"-t", "--target"}, paramLabel = "TARGET", defaultValue = "loomevent",
                description = "The server to demonstrate. Default: ${DEFAULT-VALUE}.")
        String target;

        @Override
        public Integer call() {
            if (options.duration == null) {
                options.duration = Duration.ofSeconds(12);
            }
            if (options.warmup == null) {
                options.warmup = Duration.ofSeconds(2);
            }
            if (options.connections == null) {
                options.connections = 16;
            }
            if (options.rate == null) {
                options.rate = 2000.0;
            }
            if (options.idle == null) {
                options.idle = 200;
            }
            if (options.progress == null) {
                options.progress = true;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("loomevent demo: a " + Targets.canonical(target) + " echo server under a mixed load for "
                    + (options.warmup.toMillis() + options.duration.toMillis()) / 1000 + " s");
            return Harness.run(commandOf(spec), options.config(Scenario.MIXED), List.of(target), options, out,
                    spec.commandLine().getErr(), "demo-" + Targets.canonical(target));
        }
    }

    /** Runs an echo server until its input ends; the harness starts these as child JVMs. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Runs a JVM echo server (loomevent, netty-nio, netty-epoll, java) with its Micrometer registry.",
                "Prints 'LISTENING <port> <pid>'; reads commands on standard input: 'metrics' prints every meter",
                "then END, 'quit' (or the end of input) stops."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--server", defaultValue = "loomevent", description = "Which server. Default: ${DEFAULT-VALUE}.")
        String server;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
        String host;
        @Option(names = "--port", defaultValue = "0", description = "Port (0: any free). Default: ${DEFAULT-VALUE}.")
        int port;
        @Option(names = "--threads", defaultValue = "1", description = "Event loops. Default: ${DEFAULT-VALUE}.")
        int threads;

        @Override
        public Integer call() throws Exception {
            return ServeLoop.serve(server, host, port, threads);
        }
    }
}
