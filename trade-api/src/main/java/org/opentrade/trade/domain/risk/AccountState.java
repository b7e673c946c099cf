package org.opentrade.trade.domain.risk;

/**
 * What the risk checks need to know about one account, read at the moment of the check. The ledger
 * (which owns accounts and the per-account kill switch) implements it; called on the trade context
 * only, so an implementation may be a live view of the ledger without copying.
 *
 * <p>Money in hundredths.
 */
public interface AccountState {
    /** The account id (the developer id; the key of the order rate limit). */
    String account();

    /**
     * Cash less what open buys already reserve, hundredths. A replace is checked against the change
     * in its own reservation only, so this must already exclude the order being replaced.
     */
    long buyingPower();

    /**
     * Shares of {@code symbol} that a new sell may still use: the position's sellable quantity (T+1
     * when that rule is on) less what open sells already hold.
     */
    long sellable(String symbol);

    /** Orders of the account that are still open (any symbol), including ones not yet acknowledged. */
    long openOrderCount();

    /** Whether the account's kill switch (the developer's or the administrator's) is on. */
    boolean killSwitch();
}
