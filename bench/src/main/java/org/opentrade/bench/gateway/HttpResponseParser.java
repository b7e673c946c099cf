package org.opentrade.bench.gateway;

import java.nio.ByteBuffer;

/**
 * Streaming parser of one HTTP/1.x response at a time, just enough for a load generator: the status
 * code, where the response ends ({@code Content-Length}, {@code Transfer-Encoding: chunked}, or the
 * connection closing) and whether the connection may be reused. The body is skipped, never kept.
 *
 * <p>It reads bytes as they arrive and keeps no bytes between calls, so the caller may read every
 * connection into one shared buffer. No allocation: header names and values are matched byte by byte.
 * Interim {@code 1xx} answers are skipped. Not thread-safe: one instance per connection, used by the
 * load thread only.
 */
final class HttpResponseParser {
    /** {@link #feed} result: the response is not complete yet. */
    static final int NEED_MORE = 0;
    /** {@link #feed} result: the response ended; the buffer's position is just after it. */
    static final int COMPLETE = 1;
    /** {@link #feed} result: not a response this parser understands; close the connection. */
    static final int MALFORMED = -1;

    private static final int STATUS_VERSION = 0;
    private static final int STATUS_CODE = 1;
    private static final int STATUS_REST = 2;
    private static final int HEADER_NAME = 3;
    private static final int HEADER_VALUE = 4;
    private static final int BODY_LENGTH = 5;
    private static final int CHUNK_SIZE = 6;
    private static final int CHUNK_EXTENSION = 7;
    private static final int CHUNK_DATA = 8;
    private static final int CHUNK_DATA_END = 9;
    private static final int TRAILER = 10;
    private static final int BODY_UNTIL_CLOSE = 11;
    private static final int DONE = 12;

    private static final byte[] HTTP_1 = {'H', 'T', 'T', 'P', '/', '1', '.'};
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final int ALL_NAMES = 0b111;
    private static final long MAX_LENGTH = 1L << 40;

    private int state;
    private int count;         // bytes of the current token or line seen so far
    private int status;
    private boolean http10;
    // current header
    private int candidates;    // bit 0 content-length, 1 transfer-encoding, 2 connection: names still matching
    private int field;         // which of those the current value belongs to, 0 = ignored
    private int match1;        // progress through "chunked" / "close" in the value
    private int match2;        // progress through "keep-alive" in the value
    private boolean digits;
    // response so far
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private boolean keepAlive;
    private long remaining;

    HttpResponseParser() {
        reset();
    }

    /** Makes the parser ready for the next response on the connection. */
    void reset() {
        state = STATUS_VERSION;
        count = 0;
        status = 0;
        http10 = false;
        contentLength = -1;
        chunked = false;
        close = false;
        keepAlive = false;
        remaining = 0;
    }

    /** The status code of the response being parsed (0 until it has been read). */
    int status() {
        return status;
    }

    /** Once {@link #COMPLETE}: whether the server lets the connection carry another request. */
    boolean reusable() {
        return http10 ? keepAlive && !close : !close;
    }

    /**
     * Consumes the buffer's bytes up to the end of the response, or all of them.
     *
     * @return {@link #NEED_MORE}, {@link #COMPLETE} (position just after the response) or {@link #MALFORMED}
     */
    int feed(ByteBuffer in) {
        int pos = in.position();
        int limit = in.limit();
        int result = NEED_MORE;
        while (pos < limit) {
            if (state == BODY_LENGTH || state == CHUNK_DATA) {
                int n = (int) Math.min(remaining, limit - pos);
                pos += n;
                remaining -= n;
                if (remaining == 0) {
                    if (state == BODY_LENGTH) {
                        state = DONE;
                        result = COMPLETE;
                        break;
                    }
                    state = CHUNK_DATA_END;
                }
                continue;
            }
            if (state == BODY_UNTIL_CLOSE) {
                pos = limit;
                break;
            }
            result = step(in.get(pos++));
            if (result != NEED_MORE) {
                break;
            }
        }
        in.position(pos);
        return result;
    }

    /** The server closed the connection: completes a response whose end is the close. */
    int endOfStream() {
        if (state == BODY_UNTIL_CLOSE) {
            state = DONE;
            return COMPLETE;
        }
        return MALFORMED;
    }

    private int step(byte b) {
        switch (state) {
            case STATUS_VERSION -> {
                if (count == 0 && (b == '\r' || b == '\n')) {
                    return NEED_MORE; // blank lines before a response are tolerated
                }
                if (count < HTTP_1.length) {
                    if (b != HTTP_1[count]) {
                        return MALFORMED;
                    }
                } else if (count == HTTP_1.length) {
                    http10 = b == '0';
                } else if (b != ' ') {
                    return MALFORMED;
                } else {
                    state = STATUS_CODE;
                    count = 0;
                    status = 0;
                    return NEED_MORE;
                }
                count++;
            }
            case STATUS_CODE -> {
                if (count < 3) {
                    if (b < '0' || b > '9') {
                        return MALFORMED;
                    }
                    status = status * 10 + (b - '0');
                    count++;
                } else if (b == ' ') {
                    state = STATUS_REST;
                } else if (b == '\r' || b == '\n') {
                    state = STATUS_REST;
                    return step(b);
                } else {
                    return MALFORMED;
                }
            }
            case STATUS_REST -> {
                if (b == '\n') {
                    startHeader();
                }
            }
            case HEADER_NAME -> {
                return headerName(b);
            }
            case HEADER_VALUE -> {
                return headerValue(b);
            }
            case CHUNK_SIZE -> {
                int v = hex(b);
                if (v >= 0) {
                    if (remaining >= MAX_LENGTH) {
                        return MALFORMED;
                    }
                    remaining = remaining * 16 + v;
                    digits = true;
                } else if (b == ';' || b == ' ' || b == '\t') {
                    state = CHUNK_EXTENSION;
                } else if (b == '\n') {
                    return chunkSizeEnd();
                } else if (b != '\r') {
                    return MALFORMED;
                }
            }
            case CHUNK_EXTENSION -> {
                if (b == '\n') {
                    return chunkSizeEnd();
                }
            }
            case CHUNK_DATA_END -> {
                if (b == '\n') {
                    state = CHUNK_SIZE;
                    remaining = 0;
                    digits = false;
                } else if (b != '\r') {
                    return MALFORMED;
                }
            }
            case TRAILER -> {
                if (b == '\n') {
                    if (count == 0) {
                        state = DONE;
                        return COMPLETE;
                    }
                    count = 0;
                } else if (b != '\r') {
                    count++;
                }
            }
            default -> {
                return MALFORMED; // DONE: bytes after a complete response, without a request
            }
        }
        return NEED_MORE;
    }

    private void startHeader() {
        state = HEADER_NAME;
        count = 0;
        candidates = ALL_NAMES;
    }

    private int headerName(byte b) {
        if (b == ':') {
            field = 0;
            for (int f = 0; f < 3; f++) {
                if ((candidates & (1 << f)) != 0 && name(f).length == count) {
                    field = f + 1;
                }
            }
            state = HEADER_VALUE;
            match1 = 0;
            match2 = 0;
            digits = false;
            if (field == 1) {
                contentLength = 0;
            }
            return NEED_MORE;
        }
        if (b == '\r') {
            return NEED_MORE;
        }
        if (b == '\n') {
            return count == 0 ? endOfHeaders() : MALFORMED;
        }
        byte c = lowerCase(b);
        for (int f = 0; f < 3; f++) {
            byte[] name = name(f);
            if (count >= name.length || name[count] != c) {
                candidates &= ~(1 << f);
            }
        }
        count++;
        return NEED_MORE;
    }

    private int headerValue(byte b) {
        if (b == '\n') {
            if (field == 1 && !digits) {
                return MALFORMED;
            }
            startHeader();
            return NEED_MORE;
        }
        if (b == '\r') {
            return NEED_MORE;
        }
        switch (field) {
            case 1 -> {
                if (b >= '0' && b <= '9') {
                    if (contentLength >= MAX_LENGTH) {
                        return MALFORMED;
                    }
                    contentLength = contentLength * 10 + (b - '0');
                    digits = true;
                } else if (b != ' ' && b != '\t') {
                    return MALFORMED;
                }
            }
            case 2 -> {
                match1 = advance(CHUNKED, match1, b);
                if (match1 == CHUNKED.length) {
                    chunked = true;
                    match1 = 0;
                }
            }
            case 3 -> {
                match1 = advance(CLOSE, match1, b);
                if (match1 == CLOSE.length) {
                    close = true;
                    match1 = 0;
                }
                match2 = advance(KEEP_ALIVE, match2, b);
                if (match2 == KEEP_ALIVE.length) {
                    keepAlive = true;
                    match2 = 0;
                }
            }
            default -> { }
        }
        return NEED_MORE;
    }

    private int endOfHeaders() {
        if (status >= 100 && status < 200) {
            if (status == 101) {
                return MALFORMED;
            }
            reset(); // interim answer: the real one follows
            return NEED_MORE;
        }
        if (status == 204 || status == 304) {
            state = DONE;
            return COMPLETE;
        }
        if (chunked) {
            state = CHUNK_SIZE;
            remaining = 0;
            digits = false;
        } else if (contentLength > 0) {
            state = BODY_LENGTH;
            remaining = contentLength;
        } else if (contentLength == 0) {
            state = DONE;
            return COMPLETE;
        } else {
            state = BODY_UNTIL_CLOSE;
            close = true;
        }
        return NEED_MORE;
    }

    private int chunkSizeEnd() {
        if (!digits) {
            return MALFORMED;
        }
        if (remaining == 0) {
            state = TRAILER;
            count = 0;
        } else {
            state = CHUNK_DATA;
        }
        return NEED_MORE;
    }

    /** Progress through a token whose first letter does not occur again in it, so a mismatch restarts cleanly. */
    private static int advance(byte[] token, int matched, byte b) {
        byte c = lowerCase(b);
        if (token[matched] == c) {
            return matched + 1;
        }
        return token[0] == c ? 1 : 0;
    }

    private static byte[] name(int f) {
        return f == 0 ? CONTENT_LENGTH : f == 1 ? TRANSFER_ENCODING : CONNECTION;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static byte lowerCase(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
