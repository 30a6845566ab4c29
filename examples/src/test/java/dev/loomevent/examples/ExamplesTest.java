package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher's catalogue and its argument errors (no engine needed). */
class ExamplesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void listNamesEveryExampleAndUnknownNamesFail() {
        assertThat(Examples.run(new String[] {"list"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[0]))
                .containsExactly("chat", "connect", "echo", "embedded", "fibonacci", "hello-world", "http-client", "prometheus-echo",
                        "proxy", "uppercase", "version", "watermarks");
        assertThat(Examples.run(new String[] {"nope"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown example 'nope'");
    }

    @Test
    void aBadArgumentIsNamedWithItsValue() {
        assertThat(Examples.run(new String[] {"hello-world", "99999"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("hello-world: port must be an integer in 0..65535, was '99999'\n");
    }

    @Test
    void theProxyAndTheHttpClientPrintTheirSyntaxWhenArgumentsAreMissing() {
        assertThat(Examples.run(new String[] {"proxy", "8080"}, o, e)).isEqualTo(2);
        assertThat(Examples.run(new String[] {"http-client"}, o, e)).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Syntax: proxy listen-port target-host target-port")
                .contains("Syntax: http-client hostname resource [port]");
    }
}
