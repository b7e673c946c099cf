package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * Checks that a text message, arriving frame by frame, is UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), without keeping its bytes: a character may be split across
 * frames, so the state between two frames is the bytes a character still needs and the range the next
 * one must fall in. RFC 6455 §8.1 has an endpoint fail the connection (1007) on text that is not UTF-8.
 * Not thread-safe: one per direction of one connection.
 */
final class Utf8Stream {
    private int need;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Starts a new message. */
    void reset() {
        need = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** Takes the next bytes of the message; false when they cannot be UTF-8 whatever follows. */
    boolean accept(Buffer bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            int c = bytes.getByte(i) & 0xff;
            if (need > 0) {
                if (c < lower || c > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                need--;
            } else if (c >= 0x80 && !lead(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes so far end on a character boundary (the message may end here). */
    boolean complete() {
        return need == 0;
    }

    /** Sets what the character that {@code c} starts needs; false if no character starts with it. */
    private boolean lead(int c) {
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            lower = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            upper = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            lower = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            upper = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
        } else {
            return false; // a continuation byte with no lead, C0/C1 (overlong), F5..FF
        }
        return true;
    }
}
