package org.opentrade.trade.adapter.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.intent.AccountOpened;
import org.opentrade.trade.domain.intent.AccountReset;
import org.opentrade.trade.domain.intent.CancelRequested;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.KillSwitch;
import org.opentrade.trade.domain.intent.NewOrder;
import org.opentrade.trade.domain.intent.ReplaceRequested;
import org.opentrade.trade.domain.intent.SendRejected;
import org.opentrade.trade.domain.intent.StreamSeqAdvanced;

/**
 * Binary form of an {@link Intent} without its index: {@code [byte type][fields]} in
 * {@code DataOutput} encoding; strings as modified UTF-8 ({@code writeUTF}, at most 65 535 bytes),
 * nullable ones behind a presence byte; enums by their stable exchange-model {@code code()}, -1 for
 * none. Type tags and field order are part of format version 1: never renumber, only add.
 * Stateless; any thread.
 */
public final class IntentCodec {
    static final byte ACCOUNT_OPENED = 1;
    static final byte ACCOUNT_RESET = 2;
    static final byte NEW_ORDER = 3;
    static final byte CANCEL_REQUESTED = 4;
    static final byte REPLACE_REQUESTED = 5;
    static final byte KILL_SWITCH = 6;
    /** An account reset with the feed positions it was applied at (ACCOUNT_RESET lacks them). */
    static final byte ACCOUNT_RESET_AT = 7;
    /** A new order with its reserve price (NEW_ORDER lacks it). */
    static final byte NEW_ORDER_RESERVED = 8;
    /** A new order with its reserve price and the feed positions it was recorded at. */
    static final byte NEW_ORDER_AT = 9;
    /** An account's order-stream seq set after a restart, with the feed positions it was applied at. */
    static final byte STREAM_SEQ_ADVANCED = 10;
    /** The exchange's rejection of a new order's command, with the feed positions it was applied at. */
    static final byte SEND_REJECTED = 11;

    private IntentCodec() {
    }

    /** @throws IllegalArgumentException when a string is longer than the format allows */
    public static byte[] encode(Intent intent) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            if (intent instanceof AccountOpened a) {
                out.writeByte(ACCOUNT_OPENED);
                out.writeUTF(a.account());
                out.writeLong(a.startingCash());
                out.writeLong(a.time());
            } else if (intent instanceof AccountReset a) {
                out.writeByte(ACCOUNT_RESET_AT);
                out.writeUTF(a.account());
                out.writeLong(a.startingCash());
                out.writeLong(a.time());
                writePositions(out, a.feedPositions());
            } else if (intent instanceof NewOrder n) {
                OrderRequest r = n.request();
                out.writeByte(NEW_ORDER_AT);
                out.writeUTF(n.account());
                out.writeLong(n.exchangeId());
                out.writeUTF(r.clientOrderId());
                writeNullable(out, r.symbol());
                out.writeByte(r.side() == null ? -1 : r.side().code());
                out.writeByte(r.type() == null ? -1 : r.type().code());
                out.writeByte(r.timeInForce() == null ? -1 : r.timeInForce().code());
                out.writeLong(r.qty());
                out.writeLong(r.price());
                out.writeLong(r.stopPrice());
                writeNullable(out, n.idempotencyKey());
                out.writeLong(n.requestHash());
                out.writeLong(n.time());
                out.writeLong(n.reservePrice());
                writePositions(out, n.feedPositions());
            } else if (intent instanceof CancelRequested c) {
                out.writeByte(CANCEL_REQUESTED);
                out.writeUTF(c.account());
                out.writeLong(c.exchangeId());
                out.writeLong(c.time());
            } else if (intent instanceof ReplaceRequested r) {
                out.writeByte(REPLACE_REQUESTED);
                out.writeUTF(r.account());
                out.writeLong(r.exchangeId());
                out.writeLong(r.newQty());
                out.writeLong(r.newPrice());
                out.writeLong(r.time());
            } else if (intent instanceof KillSwitch k) {
                out.writeByte(KILL_SWITCH);
                out.writeUTF(k.account());
                out.writeBoolean(k.on());
                out.writeUTF(k.by());
                out.writeLong(k.time());
            } else if (intent instanceof StreamSeqAdvanced a) {
                out.writeByte(STREAM_SEQ_ADVANCED);
                out.writeUTF(a.account());
                out.writeLong(a.seq());
                out.writeLong(a.time());
                writePositions(out, a.feedPositions());
            } else if (intent instanceof SendRejected r) {
                out.writeByte(SEND_REJECTED);
                out.writeUTF(r.account());
                out.writeLong(r.exchangeId());
                out.writeInt(r.code());
                out.writeUTF(r.reason());
                out.writeLong(r.time());
                writePositions(out, r.feedPositions());
            } else {
                throw new IllegalArgumentException("no encoding for intent " + intent.getClass().getName());
            }
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException("intent has a string longer than 65535 bytes: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes what {@link #encode} wrote, at log position {@code index}.
     *
     * @throws IOException when the bytes are not a whole, known intent (a corrupt or newer log)
     */
    public static Intent decode(long index, byte[] encoded, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded, offset, length));
        Intent intent;
        try {
            byte type = in.readByte();
            switch (type) {
                case ACCOUNT_OPENED -> intent = new AccountOpened(index, in.readUTF(), in.readLong(), in.readLong());
                case ACCOUNT_RESET -> intent = new AccountReset(index, in.readUTF(), in.readLong(), in.readLong());
                case ACCOUNT_RESET_AT -> {
                    String account = in.readUTF();
                    long cash = in.readLong();
                    long time = in.readLong();
                    intent = new AccountReset(index, account, cash, time, readPositions(in));
                }
                case NEW_ORDER, NEW_ORDER_RESERVED, NEW_ORDER_AT -> {
                    String account = in.readUTF();
                    long exchangeId = in.readLong();
                    String clientOrderId = in.readUTF();
                    String symbol = readNullable(in);
                    int side = in.readByte();
                    int orderType = in.readByte();
                    int tif = in.readByte();
                    OrderRequest request = new OrderRequest(clientOrderId, symbol,
                            side < 0 ? null : Side.ofCode(side),
                            orderType < 0 ? null : OrderType.ofCode(orderType),
                            tif < 0 ? null : TimeInForce.ofCode(tif),
                            in.readLong(), in.readLong(), in.readLong());
                    String key = readNullable(in);
                    long hash = in.readLong();
                    long time = in.readLong();
                    long reserve = type == NEW_ORDER ? 0 : in.readLong();
                    intent = new NewOrder(index, account, exchangeId, request, key, hash, time, reserve,
                            type == NEW_ORDER_AT ? readPositions(in) : java.util.Map.of());
                }
                case CANCEL_REQUESTED -> intent = new CancelRequested(index, in.readUTF(), in.readLong(), in.readLong());
                case REPLACE_REQUESTED -> intent = new ReplaceRequested(index, in.readUTF(), in.readLong(),
                        in.readLong(), in.readLong(), in.readLong());
                case KILL_SWITCH -> intent = new KillSwitch(index, in.readUTF(), in.readBoolean(), in.readUTF(),
                        in.readLong());
                case STREAM_SEQ_ADVANCED -> {
                    String account = in.readUTF();
                    long seq = in.readLong();
                    long time = in.readLong();
                    intent = new StreamSeqAdvanced(index, account, seq, time, readPositions(in));
                }
                case SEND_REJECTED -> {
                    String account = in.readUTF();
                    long exchangeId = in.readLong();
                    int code = in.readInt();
                    String reason = in.readUTF();
                    long time = in.readLong();
                    intent = new SendRejected(index, account, exchangeId, code, reason, time, readPositions(in));
                }
                default -> throw new IOException("unknown intent type " + type);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid intent: " + e.getMessage(), e);
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " unexpected bytes after the intent");
        }
        return intent;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writePositions(DataOutputStream out, java.util.Map<Integer, Long> positions) throws IOException {
        out.writeShort(positions.size());
        for (java.util.Map.Entry<Integer, Long> e : positions.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static java.util.Map<Integer, Long> readPositions(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        java.util.Map<Integer, Long> positions = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            positions.put(in.readInt(), in.readLong());
        }
        return positions;
    }
}
