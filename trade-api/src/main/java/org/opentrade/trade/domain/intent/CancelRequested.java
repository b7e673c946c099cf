package org.opentrade.trade.domain.intent;

/** The account asked to cancel its order {@code exchangeId} (one order of a cancel-all is one intent). */
public record CancelRequested(long index, String account, long exchangeId, long time) implements Intent {
    public CancelRequested {
        Intent.requireCommon(index, account);
        if (exchangeId <= 0) {
            throw new IllegalArgumentException("exchange order id must be > 0, got " + exchangeId);
        }
    }

    /** Not yet appended (index 0). */
    public static CancelRequested of(String account, long exchangeId, long time) {
        return new CancelRequested(0, account, exchangeId, time);
    }

    @Override
    public CancelRequested withIndex(long index) {
        return new CancelRequested(index, account, exchangeId, time);
    }
}
