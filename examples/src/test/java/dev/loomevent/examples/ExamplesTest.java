package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExamplesTest {

    @Test
    void listNamesEveryExampleAndUnknownNamesFail() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Examples.run(new String[] {"list"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("version");
        assertThat(Examples.run(new String[] {"nope"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown example 'nope'");
    }
}
