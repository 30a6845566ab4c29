package dev.loomevent.loadtest;

import dev.loomevent.loadtest.client.ClientTransport;
import dev.loomevent.loadtest.client.ClientTransports;
import dev.loomevent.loadtest.report.HtmlReport;
import dev.loomevent.loadtest.report.Report;
import dev.loomevent.loadtest.report.Rounds;
import dev.loomevent.loadtest.report.RunResult;
import dev.loomevent.loadtest.report.SummaryTable;
import dev.loomevent.loadtest.scenario.LoadRun;
import dev.loomevent.loadtest.scenario.ProgressListener;
import dev.loomevent.loadtest.scenario.Scenario;
import dev.loomevent.loadtest.scenario.ScenarioConfig;
import dev.loomevent.loadtest.target.Pinning;
import dev.loomevent.loadtest.target.RunningTarget;
import dev.loomevent.loadtest.target.Targets;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What every load command does: pin the client, start each target, run, stop it, then print the
 * summary and write the JSON and HTML reports.
 * <p>Main thread only.
 */
final class Harness {
    /** Exit code of a run that failed: a wrong or lost byte, or no connection. */
    static final int FAILED = 1;
    /** Exit code when a target could not start or an option was wrong. */
    static final int SETUP_ERROR = 2;

    /** Warm-up of every round after the first of {@link #runRounds}, at most. */
    static final Duration LATER_ROUND_WARMUP = Duration.ofSeconds(2);

    private static boolean pinned;

    private Harness() {
    }

    /** The files a run wrote. */
    record Written(Path json, Path html, Report report) {
    }

    /**
     * Runs {@code config} against each of {@code targets}, prints the summary to {@code out}, writes
     * the reports, and returns the exit code.
     */
    static int run(String command, ScenarioConfig config, List<String> targets, RunOptions o, PrintWriter out,
                   PrintWriter err, String title) {
        List<RunResult> results = new ArrayList<>();
        boolean setupError = false;
        for (String spec : targets) {
            RunResult r = runOne(config, spec, o, out, err);
            if (r == null) {
                setupError = true;
            } else {
                results.add(r);
            }
        }
        if (results.isEmpty()) {
            return SETUP_ERROR;
        }
        return finish(Report.of(command, results), o, out, err, title, setupError);
    }

    /** Writes {@code report}, prints its summary and returns the exit code. */
    private static int finish(Report report, RunOptions o, PrintWriter out, PrintWriter err, String title,
                              boolean setupError) {
        Written w;
        try {
            w = write(report, o.out, title);
        } catch (IOException e) {
            err.println("loadtest: cannot write the reports to " + o.out.toAbsolutePath() + ": " + e);
            return SETUP_ERROR;
        }
        out.println();
        out.print(SummaryTable.text(w.report()));
        out.println("JSON report: " + w.json().toAbsolutePath());
        out.println("HTML report: " + w.html().toAbsolutePath());
        out.flush();
        if (w.report().failed()) {
            for (RunResult r : w.report().allRuns()) {
                if (r.failure() != null) {
                    err.println("LOAD TEST FAILED against " + r.target() + ": " + r.failure());
                }
            }
            err.flush();
            return FAILED;
        }
        return setupError ? SETUP_ERROR : 0;
    }

    /**
     * Runs {@code config} against all of {@code targets} in {@code rounds} rounds: the servers start
     * once and keep running; each round measures every target in turn, starting one target later
     * than the round before, so that no target always follows the same one. Rounds after the first
     * warm up for at most {@link #LATER_ROUND_WARMUP} (the servers are warm; the new connections
     * need a moment). Prints the usual summary of each target's median round, then the rounds
     * table, and writes the reports. A failed run ends the rounds.
     */
    static int runRounds(String command, ScenarioConfig config, int rounds, List<String> targets, RunOptions o,
                         PrintWriter out, PrintWriter err, String title) {
        List<RunningTarget> started = new ArrayList<>();
        boolean setupError = false;
        try {
            for (String spec : targets) {
                RunningTarget t = start(spec, o, err);
                if (t == null) {
                    setupError = true;
                } else {
                    started.add(t);
                }
            }
            if (started.isEmpty()) {
                return SETUP_ERROR;
            }
            ScenarioConfig later = config.withTime(config.duration(),
                    config.warmup().compareTo(LATER_ROUND_WARMUP) < 0 ? config.warmup() : LATER_ROUND_WARMUP);
            List<List<RunResult>> done = new ArrayList<>();
            boolean failed = false;
            for (int r = 0; r < rounds && !failed; r++) {
                List<RunResult> round = new ArrayList<>();
                for (int i = 0; i < started.size() && !failed; i++) {
                    RunningTarget t = started.get((i + r) % started.size());
                    if (i == 0) {
                        out.println("loadtest: round " + (r + 1) + " of " + rounds);
                    }
                    RunResult result = measure(r == 0 ? config : later, t, o, out, err);
                    if (result == null) {
                        return SETUP_ERROR;
                    }
                    round.add(result);
                    failed = result.failure() != null;
                }
                done.add(round);
            }
            String base = started.stream().anyMatch(t -> t.name().equals("libevent")) ? "libevent" : started.get(0).name();
            return finish(Report.of(command, new Rounds(base, done)), o, out, err, title, setupError);
        } finally {
            started.forEach(RunningTarget::close);
        }
    }

    private static RunResult runOne(ScenarioConfig config, String spec, RunOptions o, PrintWriter out, PrintWriter err) {
        RunningTarget target = start(spec, o, err);
        if (target == null) {
            return null;
        }
        try {
            return measure(config, target, o, out, err);
        } finally {
            target.close();
        }
    }

    /** Starts {@code spec}, or prints why it could not and returns null. */
    private static RunningTarget start(String spec, RunOptions o, PrintWriter err) {
        try {
            return Targets.start(spec, o.targetOptions());
        } catch (RuntimeException e) {
            err.println("loadtest: target " + spec + " could not start: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** One run of {@code config} against the running {@code target}, or null when no client could be made. */
    private static RunResult measure(ScenarioConfig config, RunningTarget target, RunOptions o, PrintWriter out,
                                     PrintWriter err) {
        pinClient(o, target, err);
        int size = config.scenario() == Scenario.MIXED ? 16384 : config.size();
        ClientTransport transport;
        try {
            transport = ClientTransports.create(o.client, ClientTransports.readBufferFor(size));
        } catch (RuntimeException e) {
            err.println("loadtest: " + e.getMessage());
            err.flush();
            return null;
        }
        out.println("loadtest: " + config.scenario().id() + " against " + target.name() + " at " + target.address()
                + " (" + target.description() + "), client " + transport.name());
        out.flush();
        return LoadRun.run(config, target, transport, progress(o, out));
    }

    /** Pins this process to the CPUs the started server does not use, once. */
    private static void pinClient(RunOptions o, RunningTarget target, PrintWriter err) {
        String cpus = o.clientCpus();
        boolean started = !target.inProcess() && target.cpus() > 0;
        if (pinned || cpus.isEmpty() || !(started || !o.clientCpusDefaulted)) {
            return;
        }
        pinned = true;
        if (!Pinning.pinSelf(cpus)) {
            err.println("loadtest: could not pin the client to CPU " + cpus + " (taskset); it runs unpinned");
        }
    }

    private static ProgressListener progress(RunOptions o, PrintWriter out) {
        boolean show = o.progress != null ? o.progress : isTerminal();
        if (!show) {
            return ProgressListener.NONE;
        }
        return ProgressListener.printingTo(out);
    }

    /** Returns whether standard output is a terminal (JDK 22+ also says so when a console exists but is redirected). */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method m = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Writes {@code report} as {@code <time>-<title>.json} and {@code .html} under {@code dir}. */
    static Written write(Report report, Path dir, String title) throws IOException {
        Files.createDirectories(dir);
        String base = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + title.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path json = dir.resolve(base + ".json");
        Path html = dir.resolve(base + ".html");
        Files.writeString(json, report.toJson());
        Files.writeString(html, HtmlReport.render(report));
        return new Written(json, html, report);
    }
}
