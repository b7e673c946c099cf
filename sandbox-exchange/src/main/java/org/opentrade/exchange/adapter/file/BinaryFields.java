package org.opentrade.exchange.adapter.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Field encodings shared by the journal and event-log codecs. */
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
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length);
        b.put(bytes);
    }

    static String getString(ByteBuffer b) {
        short n = b.getShort();
        if (n < 0) {
            return null;
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
