package dev.loomevent.loadtest.report;

/**
 * The server's memory per idle connection: resident-set growth plus live-heap growth after a full GC,
 * from before the connections were opened to when all were established.
 * <p>Immutable.
 *
 * @param connections     the connections held
 * @param rssBeforeKb     resident set before, KB
 * @param rssAfterKb      resident set after, KB
 * @param heapBeforeKb    live heap after a GC before, KB; negative when unknown (not a JVM)
 * @param heapAfterKb     live heap after a GC after, KB; negative when unknown
 * @param note            how it was measured, and what it includes
 */
public record MemoryResult(int connections, long rssBeforeKb, long rssAfterKb, long heapBeforeKb, long heapAfterKb,
                           String note) {

    /** Returns the resident-set growth per connection, KB. */
    public double rssKbPerConnection() {
        return (rssAfterKb - rssBeforeKb) / (double) Math.max(1, connections);
    }

    /** Returns the live-heap growth per connection, KB (0 when unknown). */
    public double heapKbPerConnection() {
        return heapBeforeKb < 0 || heapAfterKb < 0 ? 0 : (heapAfterKb - heapBeforeKb) / (double) Math.max(1, connections);
    }

    /** Returns resident-set plus live-heap growth per connection, KB. */
    public double totalKbPerConnection() {
        return rssKbPerConnection() + heapKbPerConnection();
    }
}
