package org.opentrade.trade.adapter.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.opentrade.trade.port.StreamJournal;

/**
 * The body of one {@link StreamJournal} record, the same in every journal (file segments, the Redis list):
 * a kind byte, then the kind's fields in {@link DataOutputStream} encoding. {@link #ORIGIN} opens a journal
 * that starts at its beginning; {@link #BARRIER} makes a load forget everything before it; the other kinds
 * are the port's {@link StreamJournal.Entry entries}.
 */
public final class StreamRecords {
    public static final byte ORIGIN = 0;
    public static final byte GENERATION = 1;
    public static final byte FRAME = 2;
    public static final byte MARK = 3;
    public static final byte BARRIER = 4;

    private StreamRecords() {
    }

    /** A record's body that cannot be read: the journal's prefix ends before it. */
    public static final class Damaged extends IOException {
        Damaged() {
            super(null, null);
        }
    }

    public static byte[] origin(long timeMs) {
        return body(ORIGIN, out -> out.writeLong(timeMs));
    }

    public static byte[] generation(String epoch, long timeMs) {
        return body(GENERATION, out -> {
            out.writeUTF(epoch);
            out.writeLong(timeMs);
        });
    }

    public static byte[] barrier(long timeMs) {
        return body(BARRIER, out -> out.writeLong(timeMs));
    }

    public static byte[] frame(String account, long seq, long timeMs, byte[] wire) {
        return body(FRAME, out -> {
            out.writeUTF(account);
            out.writeLong(seq);
            out.writeLong(timeMs);
            out.writeInt(wire.length);
            out.write(wire);
        });
    }

    public static byte[] mark(long intentIndex, Map<Integer, Long> feedPositions) {
        return body(MARK, out -> {
            out.writeLong(intentIndex);
            out.writeInt(feedPositions.size());
            for (Map.Entry<Integer, Long> e : new TreeMap<>(feedPositions).entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
        });
    }

    /** Whether {@code kind} is one of the kinds above. */
    public static boolean known(byte kind) {
        return kind >= ORIGIN && kind <= BARRIER;
    }

    /** The entry of a {@link #GENERATION}, {@link #FRAME} or {@link #MARK} body; {@link Damaged} for anything else. */
    public static StreamJournal.Entry decode(byte[] body) throws Damaged {
        if (body.length == 0) {
            throw new Damaged();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body, 1, body.length - 1))) {
            return switch (body[0]) {
                case GENERATION -> new StreamJournal.Generation(in.readUTF(), in.readLong());
                case FRAME -> {
                    String account = in.readUTF();
                    long seq = in.readLong();
                    long time = in.readLong();
                    int n = in.readInt();
                    byte[] wire = in.readNBytes(n);
                    if (n < 0 || wire.length != n) {
                        throw new Damaged();
                    }
                    yield new StreamJournal.Frame(account, seq, time, wire);
                }
                case MARK -> {
                    long index = in.readLong();
                    int n = in.readInt();
                    Map<Integer, Long> positions = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        positions.put(in.readInt(), in.readLong());
                    }
                    yield new StreamJournal.Mark(index, positions);
                }
                default -> throw new Damaged();
            };
        } catch (Damaged d) {
            throw d;
        } catch (IOException | RuntimeException e) { // EOF: a field runs past the body
            throw new Damaged();
        }
    }

    private interface BodyWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] body(byte kind, BodyWriter w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
