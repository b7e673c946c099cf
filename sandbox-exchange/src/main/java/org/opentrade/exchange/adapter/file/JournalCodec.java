package org.opentrade.exchange.adapter.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Binary form of one journal record: {@code [int length][int crc32c][payload]}, payload =
 * seq, type, order id, timestamp, side, order type, tif, price, stop price, qty, account, symbol,
 * traceparent (strings as short length + UTF-8, length -1 for null).
 */
final class JournalCodec {
    static final int HEADER = 8;
    static final int MAX_PAYLOAD = 4096;
    private static final byte NULL = -1;

    private JournalCodec() {
    }

    /** Writes the payload of {@code c} at the buffer's position; returns false if it does not fit. */
    static void writePayload(ByteBuffer b, long seq, Command c) {
        b.putLong(seq);
        b.put((byte) c.type().ordinal());
        b.putLong(c.orderId());
        b.putLong(c.timestamp());
        b.put(c.side() == null ? NULL : (byte) c.side().ordinal());
        b.put(c.orderType() == null ? NULL : (byte) c.orderType().ordinal());
        b.put(c.tif() == null ? NULL : (byte) c.tif().ordinal());
        b.putLong(c.price());
        b.putLong(c.stopPrice());
        b.putLong(c.qty());
        putString(b, c.account());
        putString(b, c.symbol());
        putString(b, c.traceParent());
    }

    /** Upper bound of the payload size of {@code c}. */
    static int maxPayload(Command c) {
        return 8 + 1 + 8 + 8 + 3 + 24 + 3 * 2 + utf8Max(c.account()) + utf8Max(c.symbol())
                + utf8Max(c.traceParent());
    }

    private static int utf8Max(String s) {
        return s == null ? 0 : s.length() * 3;
    }

    private static void putString(ByteBuffer b, String s) {
        if (s == null) {
            b.putShort((short) -1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length);
        b.put(bytes);
    }

    private static String getString(ByteBuffer b) {
        short n = b.getShort();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Decoded record. */
    record Entry(long seq, Command command) {
    }

    static Entry readPayload(ByteBuffer b) {
        long seq = b.getLong();
        CommandType type = CommandType.values()[b.get()];
        long orderId = b.getLong();
        long ts = b.getLong();
        byte side = b.get();
        byte orderType = b.get();
        byte tif = b.get();
        long price = b.getLong();
        long stop = b.getLong();
        long qty = b.getLong();
        String account = getString(b);
        String symbol = getString(b);
        String trace = getString(b);
        Command c = new Command(type, orderId, account, symbol, side < 0 ? null : Side.values()[side],
                orderType < 0 ? null : OrderType.values()[orderType], tif < 0 ? null : TimeInForce.values()[tif],
                price, stop, qty, ts, trace);
        return new Entry(seq, c);
    }
}
