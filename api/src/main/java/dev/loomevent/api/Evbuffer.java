package dev.loomevent.api;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * A byte queue: bytes are added at the end and removed from the front. Internally a chain of
 * segments, so moving bytes between buffers relinks segments instead of copying them.
 * <p>libevent: {@code struct evbuffer} and every function of {@code event2/buffer.h}.
 * <p>Any thread; every operation is atomic with respect to the others. {@link #lock()} /
 * {@link #unlock()} make a sequence of operations atomic (libevent: {@code evbuffer_lock}).
 * Memory consistency effects: actions of a thread before it adds bytes happen-before actions of
 * another thread after it removes, copies or sees those bytes.
 * <p>Errors: bad arguments (negative sizes, positions past the end, {@code null}) throw
 * {@link IllegalArgumentException} or {@link NullPointerException} naming the argument and its value;
 * an operation on a frozen end ({@link #freeze}) throws {@link IllegalStateException}. In both cases
 * the buffer is unchanged. (libevent returns -1 in these cases: see docs/differences-from-libevent.md.)
 */
public interface Evbuffer extends AutoCloseable {

    /** A registered change callback. libevent: {@code struct evbuffer_cb_entry}. Any thread, for every method. */
    interface CallbackEntry {
        /** Enables or disables (suspends) the callback. libevent: {@code evbuffer_cb_set_flags}/{@code clear_flags} with {@code EVBUFFER_CB_ENABLED}. */
        void setEnabled(boolean enabled);

        /** Returns whether the callback is enabled. libevent: the {@code EVBUFFER_CB_ENABLED} flag. */
        boolean enabled();

        /** Removes the callback; returns false if it was already removed. libevent: {@code evbuffer_remove_cb_entry}. */
        boolean remove();
    }

    /**
     * Creates an empty buffer that holds no segment.
     * <p>libevent: {@code evbuffer_new}. Any thread.
     */
    static Evbuffer create() {
        return ProviderHolder.provider().newEvbuffer();
    }

    // ---- size ----------------------------------------------------------------------------------

    /** Returns the number of bytes stored. libevent: {@code evbuffer_get_length}. Any thread. */
    long length();

    /** Returns whether the buffer holds no byte. libevent: {@code evbuffer_get_length(buf) == 0}. Any thread. */
    default boolean isEmpty() {
        return length() == 0;
    }

    /**
     * Returns how many bytes at the front can be read without copying: the length of the first
     * segment (0 when empty). libevent: {@code evbuffer_get_contiguous_space}. Any thread.
     */
    long contiguousSpace();

    /**
     * Makes sure the next {@code n} bytes added need no allocation. libevent: {@code evbuffer_expand}.
     * Any thread.
     *
     * @throws IllegalArgumentException if {@code n} is negative or too large to allocate
     */
    void expand(long n);

    // ---- adding --------------------------------------------------------------------------------

    /** Appends a copy of {@code data}. libevent: {@code evbuffer_add}. Any thread. */
    default void add(byte[] data) {
        add(data, 0, data.length);
    }

    /** Appends a copy of {@code len} bytes of {@code data} from {@code off}. libevent: {@code evbuffer_add}. Any thread. */
    void add(byte[] data, int off, int len);

    /** Appends a copy of the remaining bytes of {@code src}, consuming them. libevent: {@code evbuffer_add}. Any thread. */
    void add(ByteBuffer src);

    /** Appends the remaining bytes of each buffer in order; returns the total. libevent: {@code evbuffer_add_iovec}. Any thread. */
    long addAll(ByteBuffer... srcs);

    /**
     * Appends {@code String.format(format, args)} encoded as UTF-8 and returns the bytes appended.
     * libevent: {@code evbuffer_add_printf} (no NUL is stored). Any thread.
     */
    int addPrintf(String format, Object... args);

    /**
     * Moves all bytes of {@code src} to the end of this buffer by relinking segments; {@code src}
     * becomes empty. An empty {@code src}, or {@code src == this}, does nothing.
     * libevent: {@code evbuffer_add_buffer}. Any thread.
     */
    void addBuffer(Evbuffer src);

    /**
     * Appends a read-only view of {@code src}'s bytes without removing them from {@code src}; the
     * shared storage is released when both let go. libevent: {@code evbuffer_add_buffer_reference}.
     * Any thread.
     *
     * @throws IllegalArgumentException if {@code src == this} or {@code src} holds file segments
     */
    void addBufferReference(Evbuffer src);

    /**
     * Appends caller-owned memory without copying. {@code cleanup} (may be null) runs exactly once,
     * with {@code data}, when the last of these bytes is drained or the buffer holding them is freed
     * (wherever {@link #addBuffer} moved them); it is not run when this call fails. The buffer never
     * writes into {@code data}. An empty {@code data} adds no segment and its cleanup runs at once.
     * libevent: {@code evbuffer_add_reference}. Any thread.
     */
    void addReference(ByteBuffer data, Consumer<ByteBuffer> cleanup);

    /**
     * Appends {@code length} bytes of a file starting at {@code offset} ({@code length == -1}: to the
     * end of the file). Once the call succeeds the buffer owns the channel and closes it when done
     * (a failed call leaves it open). A socket writer sends the bytes with
     * {@link FileChannel#transferTo}; draining and moving them ({@link #addBuffer}) reads nothing;
     * any operation that needs the bytes themselves (copy, search, readln, peek, pullup) reads the
     * whole range into memory once and closes the channel. libevent: {@code evbuffer_add_file}.
     * Any thread.
     *
     * @throws IllegalArgumentException if {@code offset} is negative or past the end of the file,
     *                                  or {@code length} is below -1 or reaches past the end
     */
    void addFile(FileChannel file, long offset, long length);

    /** Inserts a copy of {@code data} before the first byte. libevent: {@code evbuffer_prepend}. Any thread. */
    default void prepend(byte[] data) {
        prepend(data, 0, data.length);
    }

    /** Inserts a copy of {@code len} bytes of {@code data} before the first byte. libevent: {@code evbuffer_prepend}. Any thread. */
    void prepend(byte[] data, int off, int len);

    /**
     * Moves all bytes of {@code src} in front of this buffer's; {@code src} becomes empty.
     * libevent: {@code evbuffer_prepend_buffer}. Any thread.
     */
    void prependBuffer(Evbuffer src);

    // ---- removing and copying ------------------------------------------------------------------

    /** Discards up to {@code len} bytes from the front. libevent: {@code evbuffer_drain}. Any thread. */
    void drain(long len);

    /** Moves up to {@code len} bytes from the front into {@code out}; returns how many. libevent: {@code evbuffer_remove}. Any thread. */
    int remove(byte[] out, int off, int len);

    /** Moves up to {@code dst.remaining()} bytes from the front into {@code dst}; returns how many. libevent: {@code evbuffer_remove}. Any thread. */
    int remove(ByteBuffer dst);

    /**
     * Copies up to {@code len} bytes from the front into {@code out} without removing them; returns
     * how many. Like libevent it fails on a frozen front when there is something to copy.
     * libevent: {@code evbuffer_copyout}. Any thread.
     */
    int copyOut(byte[] out, int off, int len);

    /** Copies up to {@code dst.remaining()} bytes from the front into {@code dst} without removing them. libevent: {@code evbuffer_copyout}. Any thread. */
    int copyOut(ByteBuffer dst);

    /**
     * Copies up to {@code len} bytes starting at {@code pos} without removing them; returns how many
     * (0 when {@code pos} is at the end). libevent: {@code evbuffer_copyout_from}. Any thread.
     */
    int copyOutFrom(EvbufferPtr pos, byte[] out, int off, int len);

    /**
     * Moves up to {@code len} bytes from the front of this buffer to the end of {@code dst}, relinking
     * whole segments and copying only the last partial one; returns how many.
     * libevent: {@code evbuffer_remove_buffer}. Any thread.
     */
    long removeBuffer(Evbuffer dst, long len);

    /**
     * Makes the first {@code size} bytes contiguous and returns a read-only view of them
     * ({@code size < 0}: the whole buffer). Returns {@code null} when {@code size == 0}, when
     * {@code size > length()} or when the buffer is empty. libevent: {@code evbuffer_pullup}.
     * Any thread; the view is valid until the buffer is next changed.
     *
     * @throws IllegalArgumentException if more than {@code Integer.MAX_VALUE - 8} bytes are asked for
     *                                  (a {@code ByteBuffer} cannot view them)
     */
    ByteBuffer pullup(long size);

    /**
     * Removes one line from the front and returns it without its terminator, or {@code null} when no
     * complete line is buffered. libevent: {@code evbuffer_readln} (which returns NULL on a frozen
     * front, where this throws {@link IllegalStateException}). Any thread.
     */
    EvbufferLine readln(EolStyle style);

    /** {@link #readln} decoded as UTF-8, or {@code null}. libevent: {@code evbuffer_readln}. Any thread. */
    default String readLine(EolStyle style) {
        EvbufferLine line = readln(style);
        return line == null ? null : line.asString();
    }

    // ---- searching -----------------------------------------------------------------------------

    /**
     * Returns a position {@code pos} moved by {@code how}, or {@code null} when it would lie past the
     * end. {@link PtrHow#SET} ignores {@code pos}. libevent: {@code evbuffer_ptr_set} (which returns
     * -1 in that case). Any thread.
     *
     * @throws IllegalArgumentException if {@code offset} is negative, or {@code how} is
     *                                  {@link PtrHow#ADD} and {@code pos} is {@link EvbufferPtr#NOT_FOUND}
     */
    EvbufferPtr ptrSet(EvbufferPtr pos, long offset, PtrHow how);

    /**
     * Finds the first occurrence of {@code what} at or after {@code start} (null: the start); an
     * empty {@code what} is found at {@code start}, as in libevent. libevent: {@code evbuffer_search}.
     * Any thread.
     */
    EvbufferPtr search(byte[] what, EvbufferPtr start);

    /**
     * Finds {@code what} at or after {@code start}, wholly before {@code end} (null: the end of the
     * buffer); an empty {@code what} is found at {@code start}. libevent: {@code evbuffer_search_range}.
     * Any thread.
     */
    EvbufferPtr searchRange(byte[] what, EvbufferPtr start, EvbufferPtr end);

    /**
     * Finds the next end of line at or after {@code start}; returns its position and, in
     * {@code eolLength[0]} when given, the terminator's length. libevent: {@code evbuffer_search_eol}.
     * Any thread.
     */
    EvbufferPtr searchEol(EvbufferPtr start, int[] eolLength, EolStyle style);

    /**
     * Returns read-only views of the segments holding {@code len} bytes from {@code start}
     * ({@code len < 0}: to the end), without copying, at most {@code maxVecs} of them.
     * libevent: {@code evbuffer_peek}. Any thread; views are valid until the buffer next changes.
     */
    ByteBuffer[] peek(long len, EvbufferPtr start, int maxVecs);

    /** Returns how many segments {@link #peek} would need for {@code len} bytes from {@code start}. libevent: {@code evbuffer_peek} with no vectors. Any thread. */
    int peekCount(long len, EvbufferPtr start);

    // ---- zero-copy filling ---------------------------------------------------------------------

    /**
     * Reserves at least {@code size} bytes of free space at the end, in at most {@code maxVecs}
     * writable buffers (position 0, limit = space). Fill them and call {@link #commitSpace}; nothing
     * is added until then. libevent: {@code evbuffer_reserve_space}. Any thread; hold
     * {@link #lock()} across reserve and commit when others may add concurrently.
     */
    ByteBuffer[] reserveSpace(long size, int maxVecs);

    /**
     * Adds the bytes written into buffers returned by the last {@link #reserveSpace} — for each, the
     * bytes before its {@code position()} — and returns how many were added.
     * libevent: {@code evbuffer_commit_space}. Any thread.
     *
     * @throws IllegalArgumentException if the buffers are not the last reservation
     */
    long commitSpace(ByteBuffer... vecs);

    // ---- freezing ------------------------------------------------------------------------------

    /**
     * Freezes the front ({@code atFront}) or the end: operations that would change that end fail with
     * {@link IllegalStateException} and change nothing. libevent: {@code evbuffer_freeze}. Any thread.
     */
    void freeze(boolean atFront);

    /** Undoes {@link #freeze}. libevent: {@code evbuffer_unfreeze}. Any thread. */
    void unfreeze(boolean atFront);

    /**
     * Returns whether the front ({@code atFront}) or the end is frozen. libevent has no public
     * counterpart (the {@code freeze_start}/{@code freeze_end} fields). Any thread.
     */
    boolean isFrozen(boolean atFront);

    // ---- callbacks -----------------------------------------------------------------------------

    /**
     * Registers a callback run after every change that adds or removes bytes, with the counts
     * accumulated since its last run. The newest callback runs first, as in libevent. The input and
     * output of a bufferevent always defer their callbacks to its base (see
     * {@link #deferCallbacks}): they never run on its reader or writer thread.
     * libevent: {@code evbuffer_add_cb}. Any thread.
     */
    CallbackEntry addCallback(EvbufferCallback callback);

    /**
     * From now on runs the callbacks on {@code base}'s callback thread after the change, instead of
     * inside it; counts accumulate until they run. libevent: {@code evbuffer_defer_callbacks}.
     * Any thread.
     */
    void deferCallbacks(EventBase base);

    // ---- locking and lifetime ------------------------------------------------------------------

    /** Takes the buffer's (recursive) lock. libevent: {@code evbuffer_lock}. Any thread. */
    void lock();

    /** Releases the lock taken by {@link #lock()}. libevent: {@code evbuffer_unlock}. The locking thread. */
    void unlock();

    /**
     * Releases every segment; reference cleanups run, file channels close. No change callback runs.
     * Afterwards the buffer is empty and adding to it throws {@link IllegalStateException} (the bytes
     * would be lost); a second call does nothing. libevent: {@code evbuffer_free}. Any thread.
     */
    void free();

    /** Same as {@link #free()}. libevent: {@code evbuffer_free}. */
    @Override
    default void close() {
        free();
    }
}
