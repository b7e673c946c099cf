package org.opentrade.exchange.adapter.file;

import java.nio.ByteBuffer;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Binary form of one event-log record's payload after its seq (see {@link SegmentedLog}): type,
 * order id, account, counter order id, counter account, symbol, side, order type, tif, price, qty,
 * leaves, filled, counter leaves, result code (its number in docs/errors.md), timestamp, traceparent. The
 * shard is not stored: each shard has its own log. Enums by explicit code; version 1.
 */
final class EventCodec {
    /** "OTEL": event-log segment magic. */
    static final int MAGIC = 0x4F54454C;
    static final int VERSION = 1;
    static final int MAX_PAYLOAD = 4096;

    private EventCodec() {
    }

    static void write(ByteBuffer b, ExchangeEvent e) {
        b.put((byte) e.type().code());
        b.putLong(e.orderId());
        BinaryFields.putString(b, e.account());
        b.putLong(e.counterOrderId());
        BinaryFields.putString(b, e.counterAccount());
        BinaryFields.putString(b, e.symbol());
        b.put(e.side() == null ? BinaryFields.NULL : (byte) e.side().code());
        b.put(e.orderType() == null ? BinaryFields.NULL : (byte) e.orderType().code());
        b.put(e.tif() == null ? BinaryFields.NULL : (byte) e.tif().code());
        b.putLong(e.price());
        b.putLong(e.qty());
        b.putLong(e.leavesQty());
        b.putLong(e.filledQty());
        b.putLong(e.counterLeavesQty());
        b.putInt(e.resultCode() == null ? 0 : e.resultCode().code());
        b.putLong(e.timestamp());
        BinaryFields.putString(b, e.traceParent());
    }

    /** Upper bound of the payload size of {@code e} (without the seq). */
    static int maxPayload(ExchangeEvent e) {
        return 1 + 8 + 8 + 3 + 5 * 8 + 4 + 8 + BinaryFields.stringBound(e.account())
                + BinaryFields.stringBound(e.counterAccount()) + BinaryFields.stringBound(e.symbol())
                + BinaryFields.stringBound(e.traceParent());
    }

    static ExchangeEvent read(long seq, int shard, ByteBuffer b, int version) {
        if (version != VERSION) {
            throw new IllegalStateException("event-log format version " + version + " is not readable by this build"
                    + " (reads " + VERSION + ")");
        }
        EventType type = EventType.ofCode(b.get());
        long orderId = b.getLong();
        String account = BinaryFields.getString(b);
        long counterId = b.getLong();
        String counterAccount = BinaryFields.getString(b);
        String symbol = BinaryFields.getString(b);
        byte side = b.get();
        byte orderType = b.get();
        byte tif = b.get();
        long price = b.getLong();
        long qty = b.getLong();
        long leaves = b.getLong();
        long filled = b.getLong();
        long counterLeaves = b.getLong();
        int code = b.getInt();
        ResultCode rc = ResultCode.ofCode(code);
        if (rc == null) {
            throw new IllegalStateException("event " + seq + " has unknown result code " + code);
        }
        long ts = b.getLong();
        String trace = BinaryFields.getString(b);
        return new ExchangeEvent(seq, shard, type, orderId, account, counterId, counterAccount, symbol,
                side < 0 ? null : Side.ofCode(side), orderType < 0 ? null : OrderType.ofCode(orderType),
                tif < 0 ? null : TimeInForce.ofCode(tif), price, qty, leaves, filled, counterLeaves, rc, ts, trace);
    }
}
