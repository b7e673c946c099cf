package org.opentrade.exchange.adapter.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Field encodings shared by the journal and event-log codecs. Hot path (every command and event
 * passes here): ASCII text, which accounts and symbols almost always are, is written char by char
 * and read straight from the buffer's array, without an intermediate byte array.
 */
final class BinaryFields {
    /** Byte for an absent enum. */
    static final byte NULL = -1;

    private BinaryFields() {
    }

    /** Short length + UTF-8; length -1 for null. */
    static void putString(ByteBuffer b, String s) {
        if (s == null) {
            b.putShort((short) -1);
            return;
        }
        int n = s.length();
        int start = b.position();
        b.putShort((short) n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // Not ASCII: the UTF-8 length differs from the char count; write it the long way.
                b.position(start);
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                b.putShort((short) bytes.length);
                b.put(bytes);
                return;
            }
            b.put((byte) c);
        }
    }

    static String getString(ByteBuffer b) {
        short n = b.getShort();
        if (n < 0) {
            return null;
        }
        if (b.hasArray()) {
            String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
            b.position(b.position() + n);
            return s;
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Upper bound of {@link #putString}'s output. */
    static int stringBound(String s) {
        return 2 + (s == null ? 0 : s.length() * 3);
    }
}
