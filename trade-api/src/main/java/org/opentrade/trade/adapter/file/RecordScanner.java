package org.opentrade.trade.adapter.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads the intent log's records {@code [int length][int crc32c(payload)][payload]} one after the
 * other from a file channel, checking each length and checksum before anything looks at the payload,
 * so a torn or damaged record is reported, never misread. One thread; not thread-safe.
 */
final class RecordScanner {
    /** Smallest payload: the index and a type byte. */
    static final int MIN_PAYLOAD = 9;
    static final int RECORD_HEADER = 8;

    enum Outcome { RECORD, END, BAD }

    private final FileChannel channel;
    private final long limit;
    private final int maxPayload;
    private final ByteBuffer buf;
    private final CRC32C crc = new CRC32C();
    /** File offset of {@code buf.position()}. */
    private long pos;
    private long recordStart;
    private final byte[] payload;
    private int payloadLength;
    private String badReason;

    RecordScanner(FileChannel channel, long start, long limit, int maxPayload) {
        this.channel = channel;
        this.limit = limit;
        this.maxPayload = maxPayload;
        this.buf = ByteBuffer.allocate(Math.max(1 << 16, maxPayload + RECORD_HEADER));
        this.buf.limit(0);
        this.pos = start;
        this.payload = new byte[maxPayload];
    }

    /** Reads the next record; after RECORD, {@link #payload()} holds it; after BAD, {@link #badReason()}. */
    Outcome next() throws IOException {
        recordStart = pos;
        if (pos >= limit) {
            return Outcome.END;
        }
        if (!ensure(RECORD_HEADER)) {
            return bad("an incomplete record header of " + (limit - pos) + " bytes");
        }
        int length = buf.getInt(buf.position());
        int checksum = buf.getInt(buf.position() + 4);
        if (length < MIN_PAYLOAD || length > maxPayload) {
            return bad("a record length of " + length + " (allowed " + MIN_PAYLOAD + ".." + maxPayload + ")");
        }
        if (!ensure(RECORD_HEADER + length)) {
            return bad("a record of " + length + " bytes cut off by the end of the file");
        }
        buf.position(buf.position() + RECORD_HEADER);
        buf.get(payload, 0, length);
        crc.reset();
        crc.update(payload, 0, length);
        if ((int) crc.getValue() != checksum) {
            return bad("a checksum mismatch");
        }
        payloadLength = length;
        pos += RECORD_HEADER + length;
        return Outcome.RECORD;
    }

    byte[] payload() {
        return payload;
    }

    int payloadLength() {
        return payloadLength;
    }

    /** File offset where the record last returned (or found bad) starts. */
    long recordStart() {
        return recordStart;
    }

    /** File offset after the last good record. */
    long position() {
        return pos;
    }

    String badReason() {
        return badReason;
    }

    private Outcome bad(String reason) {
        badReason = reason;
        return Outcome.BAD;
    }

    private boolean ensure(int n) throws IOException {
        if (pos + n > limit) {
            return false;
        }
        while (buf.remaining() < n) {
            int kept = buf.remaining();
            buf.compact();
            int max = (int) Math.min(buf.remaining(), limit - pos - kept);
            buf.limit(buf.position() + max);
            int r = channel.read(buf, pos + kept);
            buf.flip();
            if (r <= 0) {
                return false; // the file shrank under us
            }
        }
        return true;
    }

    /**
     * The offset of the first intact record (length in range, checksum right) that starts after
     * {@code from} and ends by {@code size}, or -1. Used only after a bad record, to tell a torn tail
     * (nothing intact follows) from damage in the middle of the log.
     */
    static long findIntactRecordAfter(FileChannel channel, long from, long size, int maxPayload) throws IOException {
        int window = 1 << 20;
        ByteBuffer buf = ByteBuffer.allocate(window + maxPayload + RECORD_HEADER);
        CRC32C crc = new CRC32C();
        for (long base = from + 1; base < size; base += window) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - base));
            while (buf.hasRemaining() && channel.read(buf, base + buf.position()) > 0) {
                // fill
            }
            int have = buf.position();
            for (int o = 0; o < Math.min(window, have) && o + RECORD_HEADER <= have; o++) {
                int length = buf.getInt(o);
                if (length < MIN_PAYLOAD || length > maxPayload || o + RECORD_HEADER + length > have) {
                    continue;
                }
                crc.reset();
                crc.update(buf.array(), o + RECORD_HEADER, length);
                if ((int) crc.getValue() == buf.getInt(o + 4)) {
                    return base + o;
                }
            }
        }
        return -1;
    }
}
