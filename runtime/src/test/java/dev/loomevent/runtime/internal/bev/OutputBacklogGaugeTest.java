package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EventBase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutputBacklogGaugeTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void outputGaugeCountsBytesQueuedBeyondTheWriteLowWatermarkUntilFree() throws Exception {
        try (EventBase base = EventBase.create();
             ServerSocketChannel server = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel peer = SocketChannel.open(server.getLocalAddress())) {
            assertThat(base.stats().outputBytesAboveWatermark()).isZero();
            Bufferevent bev = Bufferevent.socket(base, server.accept(), EnumSet.of(BevOption.CLOSE_ON_FREE));
            bev.setWatermark(Direction.WRITE, 1024, 0);
            // The peer never reads: 32 MiB is far more than loopback's socket buffers can hold.
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 32; i++) {
                bev.write(chunk);
            }
            long queued = bev.output().length();
            assertThat(queued).isGreaterThan(1024);
            assertThat(base.stats().outputBytesAboveWatermark())
                    .isPositive()
                    .isLessThanOrEqualTo(32L << 20);
            bev.free();
            assertThat(base.stats().outputBytesAboveWatermark()).isZero();
        }
    }
}
