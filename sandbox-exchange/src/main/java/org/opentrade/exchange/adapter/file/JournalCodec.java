package org.opentrade.exchange.adapter.file;

import java.nio.ByteBuffer;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Binary form of one journal record's payload after its seq (see {@link SegmentedLog}): type,
 * order id, timestamp, side, order type, tif, price, stop price, qty, account, symbol, traceparent.
 * Enums are written by their explicit {@code code()}, strings as short length + UTF-8 (-1 for null).
 *
 * <p>Versions: 1 = segments without a header (the first format; its enum bytes were ordinals, which
 * the codes equal); 2 = segments with a header. The payload layout is the same in both; a change to
 * it takes version 3 and a new golden fixture ({@code JournalFormatTest}).
 */
public final class JournalCodec {
    /** "OTJL": journal segment magic. */
    static final int MAGIC = 0x4F544A4C;
    static final int VERSION = 2;
    static final int LEGACY_VERSION = 1;
    static final int MAX_PAYLOAD = 4096;

    private JournalCodec() {
    }

    /**
     * {@code c} as one journal record's payload, for a standby's copy of the journal: the bytes the
     * journal itself writes, so what the standby runs is exactly what recovery here would run.
     */
    public static byte[] toBytes(Command c) {
        ByteBuffer b = ByteBuffer.allocate(maxPayload(c));
        write(b, c);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** The command in {@code payload} ({@link #toBytes}); throws on bytes that are not one. */
    public static Command fromBytes(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        Command c = read(b, VERSION);
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes after a journal record");
        }
        return c;
    }

    static void write(ByteBuffer b, Command c) {
        b.put((byte) c.type().code());
        b.putLong(c.orderId());
        b.putLong(c.timestamp());
        b.put(c.side() == null ? BinaryFields.NULL : (byte) c.side().code());
        b.put(c.orderType() == null ? BinaryFields.NULL : (byte) c.orderType().code());
        b.put(c.tif() == null ? BinaryFields.NULL : (byte) c.tif().code());
        b.putLong(c.price());
        b.putLong(c.stopPrice());
        b.putLong(c.qty());
        BinaryFields.putString(b, c.account());
        BinaryFields.putString(b, c.symbol());
        BinaryFields.putString(b, c.traceParent());
    }

    /** Upper bound of the payload size of {@code c} (without the seq). */
    static int maxPayload(Command c) {
        return 1 + 8 + 8 + 3 + 24 + BinaryFields.stringBound(c.account()) + BinaryFields.stringBound(c.symbol())
                + BinaryFields.stringBound(c.traceParent());
    }

    static Command read(ByteBuffer b, int version) {
        if (version != VERSION && version != LEGACY_VERSION) {
            throw new IllegalStateException("journal format version " + version + " is not readable by this build"
                    + " (reads " + LEGACY_VERSION + " and " + VERSION + ")");
        }
        CommandType type = CommandType.ofCode(b.get());
        long orderId = b.getLong();
        long ts = b.getLong();
        byte side = b.get();
        byte orderType = b.get();
        byte tif = b.get();
        long price = b.getLong();
        long stop = b.getLong();
        long qty = b.getLong();
        String account = BinaryFields.getString(b);
        String symbol = BinaryFields.getString(b);
        String trace = BinaryFields.getString(b);
        return new Command(type, orderId, account, symbol, side < 0 ? null : Side.ofCode(side),
                orderType < 0 ? null : OrderType.ofCode(orderType), tif < 0 ? null : TimeInForce.ofCode(tif),
                price, stop, qty, ts, trace);
    }
}
