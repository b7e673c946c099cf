package org.opentrade.trade.domain.risk;

/**
 * Limits of the pre-trade risk checks, the same for every account. Immutable; validated at
 * construction (a bad value fails fast naming the field).
 *
 * @param maxOrderQty        largest quantity of one order; the instrument's own maximum applies too
 *                           (the smaller wins)
 * @param maxNotional        largest value of one order (qty × the price it is valued at), hundredths
 * @param maxOpenOrders      open orders one account may have at once, all symbols together
 * @param maxOrdersPerSecond new orders plus replaces one account may send in any one-second window
 *                           (cancels are never limited: they only lower risk)
 * @param marketBuyCollarBp  how far above the best ask (or last, or reference) a market buy is valued
 *                           and its cash reserved, in basis points, capped at the upper band limit.
 *                           Larger: a reservation that a market buy sweeping a thin book cannot
 *                           outrun (at ≥ the band, the upper limit: a hard bound); smaller: less
 *                           buying power tied up while the order is open
 * @param maxAccountsTracked accounts whose last second of orders the rate limiter remembers; beyond
 *                           it the least recently active account is forgotten (bounded memory:
 *                           about {@code 8 × maxOrdersPerSecond} bytes per account)
 */
public record RiskOptions(long maxOrderQty, long maxNotional, long maxOpenOrders, int maxOrdersPerSecond,
                          int marketBuyCollarBp, int maxAccountsTracked) {

    public static final long DEFAULT_MAX_ORDER_QTY = 1_000_000;
    /** 50 000 000.00 CNY in hundredths. */
    public static final long DEFAULT_MAX_NOTIONAL = 5_000_000_000L;
    public static final long DEFAULT_MAX_OPEN_ORDERS = 500;
    public static final int DEFAULT_MAX_ORDERS_PER_SECOND = 50;
    /**
     * 10 %: on the A-share ±10 % boards a market buy near the reference is reserved at the upper
     * limit, the most the exchange can make it pay; on ±20 % boards it covers a sweep of 10 %.
     */
    public static final int DEFAULT_MARKET_BUY_COLLAR_BP = 1_000;
    public static final int DEFAULT_MAX_ACCOUNTS_TRACKED = 10_000;
    /** Largest collar accepted (100 × the price): keeps price arithmetic far from overflow. */
    public static final int MAX_MARKET_BUY_COLLAR_BP = 1_000_000;

    /** The defaults above. */
    public static final RiskOptions DEFAULTS = new RiskOptions(DEFAULT_MAX_ORDER_QTY, DEFAULT_MAX_NOTIONAL,
            DEFAULT_MAX_OPEN_ORDERS, DEFAULT_MAX_ORDERS_PER_SECOND, DEFAULT_MARKET_BUY_COLLAR_BP,
            DEFAULT_MAX_ACCOUNTS_TRACKED);

    public RiskOptions {
        positive("maxOrderQty", maxOrderQty);
        positive("maxNotional", maxNotional);
        positive("maxOpenOrders", maxOpenOrders);
        positive("maxOrdersPerSecond", maxOrdersPerSecond);
        positive("maxAccountsTracked", maxAccountsTracked);
        if (marketBuyCollarBp < 0 || marketBuyCollarBp > MAX_MARKET_BUY_COLLAR_BP) {
            throw new IllegalArgumentException("risk option marketBuyCollarBp must be in [0, "
                    + MAX_MARKET_BUY_COLLAR_BP + "], was " + marketBuyCollarBp);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("risk option " + name + " must be positive, was " + value);
        }
    }
}
