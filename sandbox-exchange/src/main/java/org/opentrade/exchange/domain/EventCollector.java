package org.opentrade.exchange.domain;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.ResultCode;

/**
 * An {@link ExchangeListener} that copies each outcome of the current command into an
 * {@link ExchangeEvent}, numbering them in one gap-free sequence. Engine thread only; call
 * {@link #begin} before each command and {@link #drain} after it.
 */
public final class EventCollector implements ExchangeListener {
    private final List<ExchangeEvent> events = new ArrayList<>();
    private final int shard;
    private long seq;
    private Command current;
    private ResultCode code = ResultCode.OK;

    /** A collector for shard 0 (the replay tool, tests). */
    public EventCollector(long lastSeq) {
        this(0, lastSeq);
    }

    /** @param lastSeq the shard's last event sequence: the next event is numbered {@code lastSeq + 1} */
    public EventCollector(int shard, long lastSeq) {
        this.shard = shard;
        this.seq = lastSeq;
    }

    public void begin(Command c) {
        current = c;
        code = ResultCode.OK;
        events.clear();
    }

    /** Events of the current command; the list is reused, copy it to keep it. */
    public List<ExchangeEvent> events() {
        return events;
    }

    /** The command's outcome: OK, or the code of its rejection. */
    public ResultCode code() {
        return code;
    }

    public long lastSeq() {
        return seq;
    }

    private long ts() {
        return current == null ? 0 : current.timestamp();
    }

    private String trace() {
        return current == null ? null : current.traceParent();
    }

    private void add(EventType type, Order o, long price, long qty, long counterId, String counterAccount,
                     long counterLeaves) {
        events.add(new ExchangeEvent(++seq, shard, type, o.id(), o.account(), counterId, counterAccount, o.symbol(), o.side(),
                o.type(), o.tif(), price, qty, o.leaves(), o.filled(), counterLeaves, ResultCode.OK, ts(),
                trace()));
    }

    @Override
    public void onAccepted(Order o) {
        add(EventType.ACCEPTED, o, o.price(), o.qty(), 0, null, 0);
    }

    @Override
    public void onRejected(Command c, ResultCode rc) {
        code = rc;
        ExchangeEvent r = ExchangeEvent.rejected(++seq, c, rc);
        events.add(shard == 0 ? r : r.onShard(shard));
    }

    @Override
    public void onTrade(Order taker, Order maker, long price, long qty) {
        add(EventType.TRADE, taker, price, qty, maker.id(), maker.account(), maker.leaves());
    }

    @Override
    public void onCanceled(Order o, long canceledQty) {
        add(EventType.CANCELED, o, o.price(), canceledQty, 0, null, 0);
    }

    @Override
    public void onReplaced(Order o) {
        add(EventType.REPLACED, o, o.price(), o.qty(), 0, null, 0);
    }

    @Override
    public void onExpired(Order o, long expiredQty) {
        add(EventType.EXPIRED, o, o.price(), expiredQty, 0, null, 0);
    }

    @Override
    public void onTriggered(Order o) {
        add(EventType.TRIGGERED, o, o.price(), o.qty(), 0, null, 0);
    }
}
