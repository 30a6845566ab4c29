package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ChatServer with three members on plain sockets. */
@Timeout(60)
class ChatServerTest {

    /** One chat member: a socket read and written a line at a time. */
    private static final class Member implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final PrintWriter out;

        Member(ChatServer server) throws IOException {
            socket = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
            socket.setSoTimeout(30_000); // a missing line fails the read instead of hanging the test
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        String read() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void everyLineGoesToEveryOtherMemberAndJoinsAndLeavesAreAnnounced() throws Exception {
        EventBase base = EventBase.create();
        base.start();
        try {
            ChatServer server = new ChatServer(base, Args.loopback(0));
            try (Member a = new Member(server); Member b = new Member(server); Member c = new Member(server)) {
                // Connections are accepted in order; each welcome proves its member is registered.
                assertThat(a.read()).isEqualTo("welcome 1");
                assertThat(b.read()).isEqualTo("welcome 2");
                assertThat(a.read()).isEqualTo("* 2 joined");
                assertThat(c.read()).isEqualTo("welcome 3");
                assertThat(a.read()).isEqualTo("* 3 joined");
                assertThat(b.read()).isEqualTo("* 3 joined");

                a.out.print("hi all\r\n");
                a.out.flush();
                assertThat(b.read()).isEqualTo("1: hi all");
                assertThat(c.read()).isEqualTo("1: hi all");
                b.out.println("hello 1");
                b.out.println("and 3");
                assertThat(a.read()).isEqualTo("2: hello 1");
                assertThat(c.read()).isEqualTo("2: hello 1");
                assertThat(a.read()).isEqualTo("2: and 3");
                assertThat(c.read()).isEqualTo("2: and 3");

                c.close();
                assertThat(a.read()).isEqualTo("* 3 left");
                assertThat(b.read()).isEqualTo("* 3 left");
                a.out.println("bye");
                assertThat(b.read()).isEqualTo("1: bye");
            }
        } finally {
            base.free();
        }
    }
}
