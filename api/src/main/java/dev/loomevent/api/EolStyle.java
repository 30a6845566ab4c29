package dev.loomevent.api;

/**
 * What ends a line for {@link Evbuffer#readln} and {@link Evbuffer#searchEol}.
 * <p>libevent: {@code enum evbuffer_eol_style}.
 * <p>Immutable.
 */
public enum EolStyle {
    /** libevent: {@code EVBUFFER_EOL_ANY}: any run of any number of {@code \r} and {@code \n}. */
    ANY,
    /** libevent: {@code EVBUFFER_EOL_CRLF}: {@code \r\n} or a lone {@code \n}. */
    CRLF,
    /** libevent: {@code EVBUFFER_EOL_CRLF_STRICT}: exactly {@code \r\n}. */
    CRLF_STRICT,
    /** libevent: {@code EVBUFFER_EOL_LF}: exactly {@code \n}. */
    LF,
    /** libevent: {@code EVBUFFER_EOL_NUL}: a single NUL byte. */
    NUL
}
