package org.opentrade.trade.domain.risk;

import java.util.HashMap;
import java.util.Map;

/** A settable account for the risk tests: plenty of money, no positions, no open orders. */
final class FakeAccount implements AccountState {
    final String id;
    long buyingPower = 1_000_000_000_00L;
    final Map<String, Long> sellable = new HashMap<>();
    long openOrders;
    boolean killSwitch;

    FakeAccount(String id) {
        this.id = id;
    }

    FakeAccount buyingPower(long v) {
        buyingPower = v;
        return this;
    }

    FakeAccount sellable(String symbol, long qty) {
        sellable.put(symbol, qty);
        return this;
    }

    FakeAccount openOrders(long n) {
        openOrders = n;
        return this;
    }

    FakeAccount killSwitch(boolean on) {
        killSwitch = on;
        return this;
    }

    @Override
    public String account() {
        return id;
    }

    @Override
    public long buyingPower() {
        return buyingPower;
    }

    @Override
    public long sellable(String symbol) {
        return sellable.getOrDefault(symbol, 0L);
    }

    @Override
    public long openOrderCount() {
        return openOrders;
    }

    @Override
    public boolean killSwitch() {
        return killSwitch;
    }
}
