package org.opentrade.trade.domain;

import java.math.BigInteger;
import org.opentrade.exchange.model.Side;

/**
 * What a fill costs (A-share defaults): commission on the fill's value at {@code commissionBp} basis
 * points with a minimum (billed once per order by default, {@link org.opentrade.trade.domain.ledger.LedgerOptions}'s
 * fee billing), stamp duty on sells, transfer fee on both sides. All in hundredths
 * of the currency; each component rounded half up to the cent, as brokers bill. Immutable.
 *
 * <p>Rates are in hundredths of a basis point ({@code 250} = 2.5 bp = 0.025 %), so the A-share
 * 0.001 % transfer fee (10 = 0.1 bp) is exact.
 *
 * @param commissionRate commission, hundredths of a bp of the fill value (A-share: 250 = 0.025 %)
 * @param minCommission  smallest commission per order (or per fill, as billed), hundredths (A-share: 500 = 5 CNY)
 * @param stampDutyRate  on sells only, hundredths of a bp (A-share: 500 = 0.05 %)
 * @param transferRate   both sides, hundredths of a bp (A-share: 10 = 0.001 %)
 */
public record FeeSchedule(long commissionRate, long minCommission, long stampDutyRate, long transferRate) {
    /** Hundredths of a basis point in one: rate / 1 000 000 of the value. */
    private static final long RATE_UNIT = 1_000_000;

    /** The A-share defaults of the trade-api issue. */
    public static final FeeSchedule A_SHARE = new FeeSchedule(250, 500, 500, 10);
    /** No fees (tests, or a broker that wants none). */
    public static final FeeSchedule NONE = new FeeSchedule(0, 0, 0, 0);

    public FeeSchedule {
        if (commissionRate < 0 || minCommission < 0 || stampDutyRate < 0 || transferRate < 0) {
            throw new IllegalArgumentException("fee rates must not be negative");
        }
    }

    /** The fee of one fill of {@code qty} at {@code price} (hundredths), in hundredths. */
    public long fee(Side side, long price, long qty) {
        long value = Math.multiplyExact(price, qty);
        long commission = Math.max(minCommission, part(value, commissionRate));
        if (commissionRate == 0) {
            commission = 0;
        }
        long stamp = side == Side.SELL ? part(value, stampDutyRate) : 0;
        return commission + stamp + part(value, transferRate);
    }

    /**
     * value × rate / 1 000 000, rounded half up (values are non-negative). Exact long arithmetic: the
     * 128-bit product is checked with {@link Math#multiplyHigh}, and only a product (plus the half
     * unit) beyond {@code Long.MAX_VALUE} falls back to {@link BigInteger} — never for real fills.
     * Cost: one multiply, one divide; called for every fill and every buy check.
     */
    static long part(long value, long rate) {
        if (rate == 0) {
            return 0;
        }
        long low = value * rate;
        if (Math.multiplyHigh(value, rate) == 0 && low >= 0 && low <= Long.MAX_VALUE - RATE_UNIT / 2) {
            return (low + RATE_UNIT / 2) / RATE_UNIT;
        }
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(rate)).add(BigInteger.valueOf(RATE_UNIT / 2))
                .divide(BigInteger.valueOf(RATE_UNIT)).longValueExact();
    }
}
