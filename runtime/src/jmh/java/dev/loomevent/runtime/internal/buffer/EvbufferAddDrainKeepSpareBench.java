package dev.loomevent.runtime.internal.buffer;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link EvbufferAddDrainBench} with {@code -Dloomevent.evbuffer.keepSpare=true}: a buffer drained
 * empty keeps its last segment, so add-then-drain skips the pool. Shows what the pool round trip
 * costs (and what the "empty buffer holds no segment" rule costs).
 */
@Fork(jvmArgsAppend = "-Dloomevent.evbuffer.keepSpare=true")
public class EvbufferAddDrainKeepSpareBench extends EvbufferAddDrainBench {
}
