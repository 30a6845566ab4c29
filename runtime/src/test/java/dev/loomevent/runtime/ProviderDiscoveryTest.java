package dev.loomevent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Loomevent;
import org.junit.jupiter.api.Test;

class ProviderDiscoveryTest {

    @Test
    void apiFindsTheRuntimeThroughServiceLoader() {
        assertThat(Loomevent.version()).isNotBlank();
        assertThat(Loomevent.statistics()).isSameAs(new RuntimeProvider().statistics());
    }
}
