package org.opentrade.market.port;

import java.util.List;
import java.util.Map;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;

/** A store that hands every call to {@link #delegate}: tests override the calls they hold back or watch. */
public class ForwardingTimeSeriesStore implements TimeSeriesStore {
    protected final TimeSeriesStore delegate;

    public ForwardingTimeSeriesStore(TimeSeriesStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void writeTrades(List<Trade> trades) {
        delegate.writeTrades(trades);
    }

    @Override
    public void writeBars(Interval interval, List<Bar> bars) {
        delegate.writeBars(interval, bars);
    }

    @Override
    public void replaceBars(String symbol, Interval interval, long start, long end, List<Bar> bars) {
        delegate.replaceBars(symbol, interval, start, end, bars);
    }

    @Override
    public List<Bar> bars(String symbol, Interval interval, long start, long end, int limit) {
        return delegate.bars(symbol, interval, start, end, limit);
    }

    @Override
    public List<Trade> trades(String symbol, long start, long end, long beforeSeq, int limit) {
        return delegate.trades(symbol, start, end, beforeSeq, limit);
    }

    @Override
    public boolean hasBars(String symbol, Interval interval) {
        return delegate.hasBars(symbol, interval);
    }

    @Override
    public void checkpoint(int shard, long seq) {
        delegate.checkpoint(shard, seq);
    }

    @Override
    public Map<Integer, Long> checkpoints() {
        return delegate.checkpoints();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String refusal(String symbol) {
        return delegate.refusal(symbol);
    }
}
