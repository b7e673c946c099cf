package org.opentrade.trade.domain.ledger;

/**
 * Filters of an order list ({@code GET /v1/orders}). Orders are listed newest first (by creation).
 *
 * @param status open | closed | all
 * @param symbol only this symbol, or null for every symbol
 * @param start  created at or after (epoch ms), {@link Long#MIN_VALUE} for no bound
 * @param end    created before (epoch ms, exclusive), {@link Long#MAX_VALUE} for no bound
 * @param cursor a page's {@code nextCursor}, or null for the first page
 * @param limit  1..{@link #MAX_LIMIT}
 */
public record OrderQuery(StatusFilter status, String symbol, long start, long end, String cursor, int limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** Which orders a list shows. */
    public enum StatusFilter { OPEN, CLOSED, ALL }

    public OrderQuery {
        if (status == null) {
            throw new IllegalArgumentException("status must be OPEN, CLOSED or ALL");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
    }

    /** The API's default list: open orders of every symbol, first page. */
    public static OrderQuery of(StatusFilter status) {
        return new OrderQuery(status, null, Long.MIN_VALUE, Long.MAX_VALUE, null, DEFAULT_LIMIT);
    }

    public OrderQuery withSymbol(String s) {
        return new OrderQuery(status, s, start, end, cursor, limit);
    }

    public OrderQuery withRange(long from, long until) {
        return new OrderQuery(status, symbol, from, until, cursor, limit);
    }

    public OrderQuery withCursor(String c) {
        return new OrderQuery(status, symbol, start, end, c, limit);
    }

    public OrderQuery withLimit(int n) {
        return new OrderQuery(status, symbol, start, end, cursor, n);
    }
}
