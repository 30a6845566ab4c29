package dev.loomevent.loadtest;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load-test harness's command line: {@code ./loomevent loadtest --help}.
 * <p>Main thread only.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "loomevent loadtest 0.1",
        description = "Drives echo servers (loomevent's, libevent's, Netty's or any host:port) and reports.")
public final class Main implements Callable<Integer> {

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public Integer call() {
        commandLine().usage(System.out);
        return 0;
    }
}
