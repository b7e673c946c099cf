package org.opentrade.trade.domain.intent;

/**
 * The account asked to replace its order {@code exchangeId} with a new total quantity and price
 * (hundredths), both already resolved by the caller (an unchanged field carries the current value).
 */
public record ReplaceRequested(long index, String account, long exchangeId, long newQty, long newPrice, long time)
        implements Intent {
    public ReplaceRequested {
        Intent.requireCommon(index, account);
        if (exchangeId <= 0) {
            throw new IllegalArgumentException("exchange order id must be > 0, got " + exchangeId);
        }
    }

    /** Not yet appended (index 0). */
    public static ReplaceRequested of(String account, long exchangeId, long newQty, long newPrice, long time) {
        return new ReplaceRequested(0, account, exchangeId, newQty, newPrice, time);
    }

    @Override
    public ReplaceRequested withIndex(long index) {
        return new ReplaceRequested(index, account, exchangeId, newQty, newPrice, time);
    }
}
