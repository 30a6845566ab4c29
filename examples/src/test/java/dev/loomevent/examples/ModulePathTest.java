package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JPMS wiring: user code compiled against the API alone runs with the API and the runtime as
 * named modules, the engine found through {@code provides}/{@code uses}, its internals not exported.
 */
class ModulePathTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void apiFindsTheRuntimeWhenBothAreNamedModules() throws Exception {
        List<String> classPath = Arrays.asList(Peers.testClassPath().split(File.pathSeparator));
        String api = entry(classPath, "loomevent-api", "api" + File.separator + "target" + File.separator + "classes");
        String runtime = entry(classPath, "loomevent-runtime", "runtime" + File.separator + "target" + File.separator + "classes");
        String jctools = entry(classPath, "jctools-core", "jctools-core");
        String tests = entry(classPath, "examples" + File.separator + "target" + File.separator + "test-classes", "test-classes");
        List<String> command = new ArrayList<>(List.of(Peers.jdkTool("java").toString(),
                "--module-path", String.join(File.pathSeparator, api, runtime, jctools),
                "--add-modules", "ALL-MODULE-PATH",
                "-cp", tests,
                ModulePathProbe.class.getName()));
        Peers.Result result = Peers.run(Duration.ofSeconds(45), new byte[0], command);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.out()).contains("in module dev.loomevent.runtime", "api in module dev.loomevent.api",
                "buffered 5", "timer ran true");
    }

    private static String entry(List<String> classPath, String preferred, String fallback) {
        return classPath.stream().filter(e -> e.contains(preferred)).findFirst()
                .or(() -> classPath.stream().filter(e -> e.contains(fallback)).findFirst())
                .orElseThrow(() -> new AssertionError("no " + preferred + " on the test class path " + classPath));
    }
}
