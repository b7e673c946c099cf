package org.opentrade.trade.domain.intent;

/**
 * The account's kill switch was turned {@code on} (new orders refused, open ones canceled) or off,
 * {@code by} whom (e.g. "self" or the administrator's id).
 */
public record KillSwitch(long index, String account, boolean on, String by, long time) implements Intent {
    public KillSwitch {
        Intent.requireCommon(index, account);
        if (by == null || by.isEmpty()) {
            throw new IllegalArgumentException("a kill switch intent names who flipped it");
        }
    }

    /** Not yet appended (index 0). */
    public static KillSwitch of(String account, boolean on, String by, long time) {
        return new KillSwitch(0, account, on, by, time);
    }

    @Override
    public KillSwitch withIndex(long index) {
        return new KillSwitch(index, account, on, by, time);
    }
}
