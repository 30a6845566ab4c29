package dev.loomevent.loadtest.target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * libevent 2.1's echo server, the reference loomevent is measured against: the C program shipped in
 * the harness ({@code src/main/c/libevent-echo.c}), built with gcc against Debian's libevent-dev on
 * first use (installed with apt-get when missing and running as root), cached by the hash of its source.
 * <p>Any thread.
 */
public final class LibeventEcho {
    private static final String SOURCE = "/c/libevent-echo.c";
    private static final List<Path> HEADERS = List.of(Path.of("/usr/include/event2/bufferevent.h"),
            Path.of("/usr/local/include/event2/bufferevent.h"));

    private LibeventEcho() {
    }

    static RunningTarget start(TargetOptions o) {
        Path binary = build();
        List<String> cmd = new ArrayList<>(ChildServer.pinning(o));
        cmd.addAll(List.of(binary.toString(), "127.0.0.1", "0"));
        String where = o.serverCpus().isBlank() ? "not pinned" : "pinned to CPU " + o.serverCpus();
        return ChildServer.start("libevent", "libevent 2.1 bufferevent echo (C, one event loop), " + where, cmd, o, false);
    }

    /**
     * Builds the server if needed and returns the binary.
     *
     * @throws IllegalStateException saying what to install when gcc or libevent-dev is missing
     */
    public static Path build() {
        String source;
        try (InputStream s = LibeventEcho.class.getResourceAsStream(SOURCE)) {
            if (s == null) {
                throw new IllegalStateException("the harness was built without " + SOURCE);
            }
            source = new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SOURCE + ": " + e, e);
        }
        CRC32 crc = new CRC32();
        crc.update(source.getBytes(StandardCharsets.UTF_8));
        String cache = System.getenv("XDG_CACHE_HOME");
        Path dir = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache")).resolve("loomevent");
        Path binary = dir.resolve("libevent-echo-" + Long.toHexString(crc.getValue()));
        if (Files.isExecutable(binary)) {
            return binary;
        }
        ensureToolchain();
        try {
            Files.createDirectories(dir);
            Path src = dir.resolve("libevent-echo.c");
            Files.writeString(src, source);
            Path tmp = dir.resolve(binary.getFileName() + ".tmp" + ProcessHandle.current().pid());
            String out = run(List.of("gcc", "-O2", "-o", tmp.toString(), src.toString(), "-levent"));
            if (!Files.isExecutable(tmp)) {
                throw new IllegalStateException("gcc could not build the libevent echo server:\n" + out
                        + "\nInstall libevent's headers: apt-get install libevent-dev gcc");
            }
            Files.move(tmp, binary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return binary;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the libevent echo server in " + dir + ": " + e, e);
        }
    }

    private static void ensureToolchain() {
        boolean headers = HEADERS.stream().anyMatch(Files::exists);
        boolean gcc = onPath("gcc");
        if (headers && gcc) {
            return;
        }
        String what = (gcc ? "" : "gcc ") + (headers ? "" : "libevent-dev");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !onPath("apt-get")) {
            throw new IllegalStateException("the libevent target needs " + what.trim()
                    + ": install with 'sudo apt-get install " + what.trim() + "' and run again");
        }
        System.err.println("loadtest: installing " + what.trim() + " with apt-get for the libevent target");
        run(List.of("apt-get", "update", "-qq"));
        String out = run(List.of("apt-get", "install", "-y", "-qq", "gcc", "libevent-dev"));
        if (HEADERS.stream().noneMatch(Files::exists) || !onPath("gcc")) {
            throw new IllegalStateException("apt-get could not install " + what.trim() + ":\n" + out);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.MINUTES);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
