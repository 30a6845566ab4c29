package dev.loomevent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiValuesTest {

    @Test
    void bevEventBitsKeepLibeventsValues() {
        assertThat(new int[] {BevEvent.READING, BevEvent.WRITING, BevEvent.EOF, BevEvent.ERROR, BevEvent.TIMEOUT, BevEvent.CONNECTED})
                .containsExactly(0x01, 0x02, 0x10, 0x20, 0x40, 0x80);
        assertThat(Direction.READ.evBit()).isEqualTo(Ev.READ);
        assertThat(Direction.WRITE.bevEventBit()).isEqualTo(BevEvent.WRITING);
    }

    @Test
    void bevEventMaskRendersItsNames() {
        assertThat(BevEvent.toString(BevEvent.EOF | BevEvent.READING)).isEqualTo("EOF|READING");
        assertThat(BevEvent.toString(0)).isEqualTo("0");
        assertThat(BevEvent.toString(0x100)).isEqualTo("0x100");
    }

    @Test
    void badValuesNameTheArgument() {
        assertThatThrownBy(() -> new Watermark(-1, 0)).hasMessageContaining("low watermark").hasMessageContaining("-1");
        assertThatThrownBy(() -> EventBaseConfig.DEFAULT.withPriorities(0)).hasMessageContaining("priorities");
        assertThatThrownBy(() -> new EvbufferPtr(-2)).hasMessageContaining("-2");
    }
}
