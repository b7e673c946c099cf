package org.opentrade.trade.domain.intent;

/** A paper account was created on first use, with {@code startingCash} in hundredths. */
public record AccountOpened(long index, String account, long startingCash, long time) implements Intent {
    public AccountOpened {
        Intent.requireCommon(index, account);
        if (startingCash < 0) {
            throw new IllegalArgumentException("starting cash must be >= 0, got " + startingCash);
        }
    }

    /** Not yet appended (index 0). */
    public static AccountOpened of(String account, long startingCash, long time) {
        return new AccountOpened(0, account, startingCash, time);
    }

    @Override
    public AccountOpened withIndex(long index) {
        return new AccountOpened(index, account, startingCash, time);
    }
}
