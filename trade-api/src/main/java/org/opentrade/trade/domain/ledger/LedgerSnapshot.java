package org.opentrade.trade.domain.ledger;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.OrderStatus;

/**
 * The ledger's binary snapshot format. Header: magic {@code "OTLG"}, version. Then feed positions,
 * then accounts in id order, each with money, holdings (symbol order), the orders kept (creation order)
 * and the fills kept (arrival order). Version 2 adds the account's order count and dropped-fill count and
 * each order's number (version 1, without them, is still read: nothing had been dropped then); version 3 the
 * account's order count at its last reset (older ones are read with it unknown: the reset's time tells). Enums are written by their stable codes (exchange enums) or wire names
 * (order status), strings as length + UTF-8 (length −1 = null). Deterministic: equal state, equal bytes.
 */
final class LedgerSnapshot {
    static final int MAGIC = 0x4F544C47; // "OTLG"
    static final int VERSION = 3;
    /** Refuse absurd lengths from corrupt input instead of allocating them. */
    private static final int MAX_STRING_BYTES = 1 << 20;

    private LedgerSnapshot() {
    }

    static void write(DataOutput out, TreeMap<Integer, Long> feed, TreeMap<String, AccountBook> accounts)
            throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(feed.size());
        for (Map.Entry<Integer, Long> f : feed.entrySet()) {
            out.writeInt(f.getKey());
            out.writeLong(f.getValue());
        }
        out.writeInt(accounts.size());
        for (AccountBook a : accounts.values()) {
            writeAccount(out, a);
        }
    }

    private static void writeAccount(DataOutput out, AccountBook a) throws IOException {
        str(out, a.account);
        out.writeLong(a.startingCash);
        out.writeLong(a.cash);
        out.writeLong(a.realized);
        out.writeLong(a.feesPaid);
        out.writeLong(a.updateSeq);
        out.writeLong(a.openedAt);
        out.writeLong(a.resetAt);
        out.writeLong(a.resetOrderIndex);
        out.writeInt(a.holdings.size());
        for (Holding h : a.holdings.values()) {
            str(out, h.symbol);
            out.writeLong(h.qty);
            out.writeLong(h.basis);
            str(out, h.buyDay);
            out.writeLong(h.boughtOnBuyDay);
        }
        out.writeLong(a.nextOrderIndex);
        out.writeInt(a.orders.size());
        for (OrderEntry e : a.orders.values()) {
            out.writeLong(e.index);
            str(out, e.orderId);
            out.writeLong(e.exchangeId);
            str(out, e.clientOrderId);
            str(out, e.symbol);
            out.writeByte(e.side.code());
            out.writeByte(e.type.code());
            out.writeByte(e.tif.code());
            out.writeLong(e.stopPrice);
            out.writeLong(e.createdAt);
            out.writeLong(e.qty);
            out.writeLong(e.price);
            out.writeLong(e.filledQty);
            out.writeLong(e.leavesQty);
            out.writeLong(e.filledValue);
            str(out, e.status.wireName());
            str(out, e.rejectReason);
            out.writeInt(e.rejectCode);
            out.writeLong(e.updatedAt);
            out.writeLong(e.updateSeq);
            out.writeLong(e.reservePrice);
            out.writeLong(e.feesBilled);
            out.writeBoolean(e.triggered);
        }
        out.writeLong(a.firstFillIndex);
        out.writeInt(a.fillCount());
        for (Fill f : a.fills()) {
            str(out, f.fillId());
            str(out, f.orderId());
            str(out, f.clientOrderId());
            str(out, f.symbol());
            out.writeByte(f.side().code());
            out.writeLong(f.price());
            out.writeLong(f.qty());
            out.writeLong(f.fee());
            out.writeBoolean(f.maker());
            out.writeLong(f.time());
            out.writeInt(f.shard());
            out.writeLong(f.seq());
        }
    }

    static void read(DataInput in, TreeMap<Integer, Long> feed, TreeMap<String, AccountBook> accounts)
            throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a ledger snapshot (magic " + Integer.toHexString(magic) + ")");
        }
        int version = in.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException("unsupported ledger snapshot version " + version + " (this build reads " + VERSION + ")");
        }
        int shards = count(in);
        for (int i = 0; i < shards; i++) {
            feed.put(in.readInt(), in.readLong());
        }
        int n = count(in);
        for (int i = 0; i < n; i++) {
            AccountBook a = readAccount(in, version);
            accounts.put(a.account, a);
        }
    }

    private static AccountBook readAccount(DataInput in, int version) throws IOException {
        AccountBook a = new AccountBook(str(in));
        a.startingCash = in.readLong();
        a.cash = in.readLong();
        a.realized = in.readLong();
        a.feesPaid = in.readLong();
        a.updateSeq = in.readLong();
        a.openedAt = in.readLong();
        a.resetAt = in.readLong();
        // Older formats: an account never reset counts from its first order; a reset one is unknown (-1).
        a.resetOrderIndex = version >= 3 ? in.readLong() : a.resetAt == a.openedAt ? 0 : -1;
        int holdings = count(in);
        for (int i = 0; i < holdings; i++) {
            Holding h = new Holding(str(in));
            h.qty = in.readLong();
            h.basis = in.readLong();
            h.buyDay = str(in);
            h.boughtOnBuyDay = in.readLong();
            a.holdings.put(h.symbol, h);
        }
        long nextOrderIndex = version == 1 ? -1 : in.readLong();
        int orders = count(in);
        for (int i = 0; i < orders; i++) {
            long index = version == 1 ? i : in.readLong();
            if (index < 0 || (nextOrderIndex >= 0 && index >= nextOrderIndex)) {
                throw new IOException("corrupt ledger snapshot: order number " + index + " of " + nextOrderIndex);
            }
            OrderEntry e = new OrderEntry(str(in), in.readLong(), a.account, str(in), str(in),
                    Side.ofCode(in.readByte()), OrderType.ofCode(in.readByte()), TimeInForce.ofCode(in.readByte()),
                    in.readLong(), in.readLong(), index);
            e.qty = in.readLong();
            e.price = in.readLong();
            e.filledQty = in.readLong();
            e.leavesQty = in.readLong();
            e.filledValue = in.readLong();
            e.status = status(str(in));
            e.rejectReason = str(in);
            e.rejectCode = in.readInt();
            e.updatedAt = in.readLong();
            e.updateSeq = in.readLong();
            e.reservePrice = in.readLong();
            e.feesBilled = in.readLong();
            e.triggered = in.readBoolean();
            a.add(e);
        }
        a.nextOrderIndex = Math.max(a.nextOrderIndex, nextOrderIndex);
        a.firstFillIndex = version == 1 ? 0 : in.readLong();
        if (a.firstFillIndex < 0) {
            throw new IOException("corrupt ledger snapshot: " + a.firstFillIndex + " fills dropped");
        }
        int fills = count(in);
        for (int i = 0; i < fills; i++) {
            a.addFill(new Fill(str(in), str(in), str(in), a.account, str(in), Side.ofCode(in.readByte()),
                    in.readLong(), in.readLong(), in.readLong(), in.readBoolean(), in.readLong(), in.readInt(),
                    in.readLong()));
        }
        return a;
    }

    private static OrderStatus status(String wire) throws IOException {
        for (OrderStatus s : OrderStatus.values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        throw new IOException("unknown order status in snapshot: " + wire);
    }

    private static int count(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt ledger snapshot: negative count " + n);
        }
        return n;
    }

    private static void str(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInput in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw new IOException("corrupt ledger snapshot: string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
