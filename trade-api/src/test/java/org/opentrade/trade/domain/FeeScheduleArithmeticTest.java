package org.opentrade.trade.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;

/**
 * The long-arithmetic fee equals the BigInteger computation it replaced, to the hundredth: on random
 * fills, on random 63-bit values and rates, and at the edges (0, the rounding half, near
 * {@code Long.MAX_VALUE} where the fast path must hand over to BigInteger).
 */
class FeeScheduleArithmeticTest {
    private static final BigInteger UNIT = BigInteger.valueOf(1_000_000);
    private static final BigInteger HALF = BigInteger.valueOf(500_000);

    /** The computation before the change: exact BigInteger, rounded half up. */
    private static long referencePart(long value, long rate) {
        if (rate == 0) {
            return 0;
        }
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(rate)).add(HALF).divide(UNIT).longValueExact();
    }

    private static long referenceFee(FeeSchedule f, Side side, long price, long qty) {
        long value = Math.multiplyExact(price, qty);
        long commission = f.commissionRate() == 0 ? 0 : Math.max(f.minCommission(), referencePart(value, f.commissionRate()));
        long stamp = side == Side.SELL ? referencePart(value, f.stampDutyRate()) : 0;
        return commission + stamp + referencePart(value, f.transferRate());
    }

    @Test
    void feeOfRandomFillsEqualsTheBigIntegerComputation() {
        SplittableRandom r = new SplittableRandom(11);
        FeeSchedule[] schedules = {FeeSchedule.A_SHARE, FeeSchedule.NONE, new FeeSchedule(3, 1, 7, 999_999),
                new FeeSchedule(1_000_000, 0, 2_500_000, 1)};
        for (int i = 0; i < 200_000; i++) {
            FeeSchedule f = schedules[r.nextInt(schedules.length)];
            Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
            long price = 1 + r.nextLong(1 + r.nextInt(4) == 1 ? 100 : 100_000_000L);
            long qty = 1 + r.nextLong(r.nextBoolean() ? 1_000 : 100_000_000L);
            assertEquals(referenceFee(f, side, price, qty), f.fee(side, price, qty),
                    f + " " + side + " " + price + " x " + qty);
        }
    }

    @Test
    void partEqualsTheBigIntegerComputationOnRandomAndEdgeValues() {
        SplittableRandom r = new SplittableRandom(12);
        List<Long> values = new ArrayList<>(List.of(0L, 1L, 499_999L, 500_000L, 1_999_999L, 2_000_000L,
                Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 500_000, Long.MAX_VALUE - 499_999,
                Long.MAX_VALUE / 250, Long.MAX_VALUE / 250 + 1, Long.MAX_VALUE / 1_000_000, (1L << 62) - 1, 1L << 62,
                Long.MAX_VALUE / 3, Long.MAX_VALUE / 10));
        List<Long> rates = new ArrayList<>(List.of(0L, 1L, 10L, 250L, 500L, 999_999L, 1_000_000L, 1_000_001L,
                Long.MAX_VALUE, Long.MAX_VALUE / 2, 3L));
        for (int i = 0; i < 200; i++) {
            values.add(r.nextLong(Long.MAX_VALUE));
            values.add(Long.MAX_VALUE - r.nextLong(1_000_000));
            values.add(r.nextLong(1L << (1 + r.nextInt(62))));
            rates.add(r.nextLong(1L << (1 + r.nextInt(62))));
        }
        int fast = 0;
        int overflowing = 0;
        for (long v : values) {
            for (long rate : rates) {
                BigInteger exact = BigInteger.valueOf(v).multiply(BigInteger.valueOf(rate)).add(HALF).divide(UNIT);
                if (exact.bitLength() > 63) {
                    continue; // neither computation has a long answer (both throw)
                }
                assertEquals(referencePart(v, rate), FeeSchedule.part(v, rate), v + " x " + rate);
                if (BigInteger.valueOf(v).multiply(BigInteger.valueOf(rate)).add(HALF).bitLength() > 63) {
                    overflowing++;
                } else {
                    fast++;
                }
            }
        }
        assertTrue(fast > 10_000 && overflowing > 10_000,
                "both paths compared: " + fast + " in long, " + overflowing + " via BigInteger");
    }

    @Test
    void feeNearLongMaxValueTakesTheExactPath() {
        // value = Long.MAX_VALUE - 6: value x 250 overflows a long, the fast path must hand over.
        long price = 3;
        long qty = (Long.MAX_VALUE - 6) / 3;
        for (Side side : Side.values()) {
            assertEquals(referenceFee(FeeSchedule.A_SHARE, side, price, qty), FeeSchedule.A_SHARE.fee(side, price, qty));
        }
        // Largest value whose product with the rate still fits: both sides of the boundary.
        long edge = (Long.MAX_VALUE - 500_000) / 250;
        for (long v = edge - 3; v <= edge + 3; v++) {
            assertEquals(referencePart(v, 250), FeeSchedule.part(v, 250), "value " + v);
        }
    }
}
