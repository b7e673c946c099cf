package org.opentrade.trade.port;

import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.intent.AccountOpened;
import org.opentrade.trade.domain.intent.AccountReset;
import org.opentrade.trade.domain.intent.CancelRequested;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.KillSwitch;
import org.opentrade.trade.domain.intent.NewOrder;
import org.opentrade.trade.domain.intent.ReplaceRequested;
import org.opentrade.trade.domain.intent.SendRejected;
import org.opentrade.trade.domain.intent.StreamSeqAdvanced;

/** Deterministic intents for store tests: the n-th is a function of n alone, so a reader can check content. */
public final class SampleIntents {
    private SampleIntents() {
    }

    /** The n-th sample intent (n >= 1), not yet appended (index 0); every kind, nulls included. */
    public static Intent sample(long n) {
        String account = "dev-" + (n % 13);
        long time = 1_767_225_600_000L + n * 17;
        switch ((int) (n % 9)) {
            case 0:
                return AccountOpened.of(account, 100_000_000L + n, time);
            case 1:
                return NewOrder.of(account, n, new OrderRequest("c-" + n, "600000.SH", Side.BUY, OrderType.LIMIT,
                        TimeInForce.GTC, 100 * (n % 50 + 1), 1000 + n, 0), "idem-" + n, n * 0x9E3779B97F4A7C15L, time);
            case 2:
                return NewOrder.of(account, n, new OrderRequest("client:order." + n + "_é中", null, null, null, null,
                        0, 0, 0), null, -n, time);
            case 3:
                return CancelRequested.of(account, n + 1, time);
            case 4:
                return ReplaceRequested.of(account, n + 2, 300, 1999 + n, time);
            case 5:
                return KillSwitch.of(account, n % 2 == 0, n % 3 == 0 ? "admin" : "self", time);
            case 7:
                return StreamSeqAdvanced.at(account, n * 3, time, java.util.Map.of(0, n));
            case 8:
                return SendRejected.at(account, n, -5007 - (int) (n % 5), "engine overloaded " + n + " 中", time,
                        java.util.Map.of(1, n, 2, n + 1));
            default:
                return AccountReset.at(account, n, time, java.util.Map.of(0, n, 3, n * 2));
        }
    }

    /** The n-th sample as a store reads it back. */
    public static Intent stored(long n) {
        return sample(n).withIndex(n);
    }

    /** One intent of each kind with extreme values: for round-trip checks. */
    public static Intent[] extremes() {
        return new Intent[]{
                AccountOpened.of("a", Long.MAX_VALUE, Long.MIN_VALUE),
                AccountReset.of("a".repeat(1000), 0, 0),
                NewOrder.of("b", Long.MAX_VALUE, new OrderRequest("x".repeat(48), "000001.SZ", Side.SELL,
                        OrderType.STOP_LIMIT, TimeInForce.FOK, Long.MAX_VALUE, Long.MIN_VALUE, -1), "", 0, -1),
                NewOrder.of("b", 1, new OrderRequest("y", "600519.SH", Side.BUY, OrderType.MARKET, TimeInForce.IOC,
                        1, 0, 0), null, Long.MIN_VALUE, 1),
                CancelRequested.of("c", 1, 0),
                ReplaceRequested.of("d", 1L << 61, -5, -6, 7),
                KillSwitch.of("e", true, "by someone", 8),
                KillSwitch.of("e", false, "self", 9),
                StreamSeqAdvanced.at("f", Long.MAX_VALUE, Long.MIN_VALUE, java.util.Map.of()),
                StreamSeqAdvanced.at("f", 0, 0, java.util.Map.of(Integer.MAX_VALUE, Long.MAX_VALUE, 0, 0L)),
                SendRejected.at("g", Long.MAX_VALUE, Integer.MIN_VALUE, "", -1, java.util.Map.of()),
                SendRejected.at("g", 1, -4010, "r".repeat(20_000), 1, java.util.Map.of(3, 9L)),
        };
    }
}
