package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The basis share of a partial close (long arithmetic) equals the BigInteger computation it replaced. */
class HoldingMulDivTest {
    private static long reference(long a, long b, long c) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }

    @Test
    void mulDivEqualsBigIntegerTruncationForSignedRandomAndEdgeValues() {
        SplittableRandom r = new SplittableRandom(5);
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE / 2, -(Long.MAX_VALUE / 2),
                3_037_000_499L, 3_037_000_500L, -3_037_000_500L, 1L << 32, -(1L << 32)};
        for (int i = 0; i < 300_000; i++) {
            long a = i < edges.length * edges.length ? edges[i % edges.length] : r.nextLong() >> r.nextInt(64);
            long c = 1 + Math.abs(i < edges.length * edges.length ? edges[i / edges.length] % 1_000_000_000L
                    : r.nextLong(1L << (1 + r.nextInt(62))));
            long b = r.nextLong(c + 1); // closed <= |qty|: the only way the ledger calls it
            assertEquals(reference(a, b, c), Holding.mulDiv(a, b, c), a + " x " + b + " / " + c);
        }
    }
}
