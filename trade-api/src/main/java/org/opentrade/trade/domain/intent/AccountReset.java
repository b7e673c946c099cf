package org.opentrade.trade.domain.intent;

/**
 * The developer reset the account: open orders are canceled and the account starts clean with
 * {@code startingCash} in hundredths.
 */
public record AccountReset(long index, String account, long startingCash, long time) implements Intent {
    public AccountReset {
        Intent.requireCommon(index, account);
        if (startingCash < 0) {
            throw new IllegalArgumentException("starting cash must be >= 0, got " + startingCash);
        }
    }

    /** Not yet appended (index 0). */
    public static AccountReset of(String account, long startingCash, long time) {
        return new AccountReset(0, account, startingCash, time);
    }

    @Override
    public AccountReset withIndex(long index) {
        return new AccountReset(index, account, startingCash, time);
    }
}
