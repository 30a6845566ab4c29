package dev.loomevent.runtime.internal.base;

import java.util.Arrays;

/**
 * A 4-ary min-heap of {@link TimerNode}s ordered by key (a {@code System.nanoTime} deadline), then by
 * insertion order, so that timers due at the same instant expire in the order they were armed.
 * Each node knows its index, so removal and key changes are O(log n).
 * <p>Callback thread only.
 */
final class TimerHeap {
    private TimerNode[] nodes = new TimerNode[16];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerNode peek() {
        return size == 0 ? null : nodes[0];
    }

    void add(TimerNode n, long key) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        n.key = key;
        n.seq = nextSeq++;
        n.inHeap = true;
        siftUp(size++, n);
    }

    void remove(TimerNode n) {
        int i = n.heapIndex;
        n.heapIndex = -1;
        n.inHeap = false;
        TimerNode last = nodes[--size];
        nodes[size] = null;
        if (last != n) {
            if (i > 0 && less(last, nodes[(i - 1) >>> 2])) {
                siftUp(i, last);
            } else {
                siftDown(i, last);
            }
        }
    }

    void changeKey(TimerNode n, long key) {
        long old = n.key;
        n.key = key;
        n.seq = nextSeq++;
        if (key - old < 0) {
            siftUp(n.heapIndex, n);
        } else {
            siftDown(n.heapIndex, n);
        }
    }

    /** Drops every node; used when the base is freed. */
    void clear() {
        for (int i = 0; i < size; i++) {
            nodes[i].heapIndex = -1;
            nodes[i].inHeap = false;
            nodes[i] = null;
        }
        size = 0;
    }

    private static boolean less(TimerNode a, TimerNode b) {
        long d = a.key - b.key;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i, TimerNode n) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            TimerNode p = nodes[parent];
            if (!less(n, p)) {
                break;
            }
            nodes[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        nodes[i] = n;
        n.heapIndex = i;
    }

    private void siftDown(int i, TimerNode n) {
        while (true) {
            int first = (i << 2) + 1;
            if (first >= size) {
                break;
            }
            int best = first;
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (less(nodes[c], nodes[best])) {
                    best = c;
                }
            }
            if (!less(nodes[best], n)) {
                break;
            }
            nodes[i] = nodes[best];
            nodes[i].heapIndex = i;
            i = best;
        }
        nodes[i] = n;
        n.heapIndex = i;
    }
}
