package org.opentrade.gateway.domain;

/**
 * What a developer pays for, and what each API key is limited by. A developer's plan sets how many
 * keys they may hold and is the highest plan their keys may have; each key has its own plan (by
 * default its developer's) and its own budget at that plan's figures. A portal session has the
 * developer's plan.
 *
 * @param weightPerMinute          request weight per minute per key (each route has a weight)
 * @param ordersPerSecondPerSymbol new or replaced orders per second per key × symbol
 * @param maxKeys                  API keys the developer may hold, revoked ones excepted (applies to a
 *                                 developer's plan, never to a key's)
 */
public record Plan(String name, long weightPerMinute, long ordersPerSecondPerSymbol, int maxKeys) {

    public RateLimit weightLimit() {
        return new RateLimit(weightPerMinute, 60_000);
    }

    public RateLimit orderLimit() {
        return new RateLimit(ordersPerSecondPerSymbol, 1_000);
    }
}
