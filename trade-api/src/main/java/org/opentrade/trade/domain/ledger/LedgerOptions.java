package org.opentrade.trade.domain.ledger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongFunction;
import org.opentrade.trade.domain.FeeSchedule;

/**
 * Knobs of a {@link Ledger}. Immutable; validated at construction (fails fast with the field name).
 *
 * @param fees                the fee schedule of every fill
 * @param feeBilling          per order (minimum commission once per order) or per fill
 * @param tPlusOne            shares bought on a trading day become sellable on the next one (A-share
 *                            rule); off: everything held is sellable at once (the 24×7 default)
 * @param defaultStartingCash starting balance of an account opened or reset without one, hundredths
 * @param tradingDayOf        epoch ms → trading day id ("2026-01-05"); only read when {@code tPlusOne}.
 *                            Must be a pure function: replay depends on it
 * @param historyKept         per account, how many closed orders (those closed last) and fills (the newest)
 *                            are kept for reads; older ones are dropped, so an account's memory, its share of
 *                            every snapshot and a list's scan stay bounded however long it trades. Open orders
 *                            are always kept. Part of the state's definition: a rebuild must use the same value
 */
public record LedgerOptions(FeeSchedule fees, FeeBilling feeBilling, boolean tPlusOne, long defaultStartingCash,
                            LongFunction<String> tradingDayOf, int historyKept) {
    /** 1 000 000.00 CNY, the default paper balance. */
    public static final long DEFAULT_STARTING_CASH = 100_000_000L;
    public static final FeeBilling DEFAULT_FEE_BILLING = FeeBilling.PER_ORDER;
    /**
     * Closed orders and fills kept per account: at most about 7 MB per account however much it trades (measured: ~0.7 KB
     * per order with its fill).
     */
    public static final int DEFAULT_HISTORY_KEPT = 10_000;
    /** The calendar date in China (UTC+8, no daylight saving): a new date is a new trading day. */
    public static final LongFunction<String> CHINA_CALENDAR_DAY =
            ms -> Instant.ofEpochMilli(ms).atOffset(ZoneOffset.ofHours(8)).toLocalDate().toString();

    /** The 24×7 sandbox default: A-share fees, no T+1. */
    public static final LedgerOptions DEFAULTS =
            new LedgerOptions(FeeSchedule.A_SHARE, DEFAULT_FEE_BILLING, false, DEFAULT_STARTING_CASH,
                    CHINA_CALENDAR_DAY, DEFAULT_HISTORY_KEPT);
    /** Under the A-share calendar: A-share fees and T+1 on China calendar days. */
    public static final LedgerOptions A_SHARE =
            new LedgerOptions(FeeSchedule.A_SHARE, DEFAULT_FEE_BILLING, true, DEFAULT_STARTING_CASH,
                    CHINA_CALENDAR_DAY, DEFAULT_HISTORY_KEPT);

    public LedgerOptions {
        if (fees == null) {
            throw new IllegalArgumentException("fees must not be null");
        }
        if (feeBilling == null) {
            throw new IllegalArgumentException("feeBilling must not be null (PER_ORDER or PER_FILL)");
        }
        if (defaultStartingCash < 0) {
            throw new IllegalArgumentException("defaultStartingCash must not be negative: " + defaultStartingCash);
        }
        if (tPlusOne && tradingDayOf == null) {
            throw new IllegalArgumentException("tradingDayOf is required when tPlusOne is on");
        }
        if (historyKept < 1) {
            throw new IllegalArgumentException("historyKept must be at least 1: " + historyKept);
        }
    }

    /** The options with the default {@link #historyKept}. */
    public LedgerOptions(FeeSchedule fees, FeeBilling feeBilling, boolean tPlusOne, long defaultStartingCash,
                         LongFunction<String> tradingDayOf) {
        this(fees, feeBilling, tPlusOne, defaultStartingCash, tradingDayOf, DEFAULT_HISTORY_KEPT);
    }

    public LedgerOptions withFees(FeeSchedule f, FeeBilling billing) {
        return new LedgerOptions(f, billing, tPlusOne, defaultStartingCash, tradingDayOf, historyKept);
    }

    public LedgerOptions withTPlusOne(boolean on) {
        return new LedgerOptions(fees, feeBilling, on, defaultStartingCash, tradingDayOf, historyKept);
    }

    public LedgerOptions withHistoryKept(int kept) {
        return new LedgerOptions(fees, feeBilling, tPlusOne, defaultStartingCash, tradingDayOf, kept);
    }
}
