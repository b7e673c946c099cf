package org.opentrade.gateway.domain;

/**
 * What a developer pays for. Each of their keys (and their portal session) has its own budget at
 * these figures.
 *
 * @param weightPerMinute          request weight per minute (each route has a weight)
 * @param ordersPerSecondPerSymbol new or replaced orders per second per key × symbol
 * @param maxKeys                  API keys the developer may hold, revoked ones excepted
 */
public record Plan(String name, long weightPerMinute, long ordersPerSecondPerSymbol, int maxKeys) {

    public RateLimit weightLimit() {
        return new RateLimit(weightPerMinute, 60_000);
    }

    public RateLimit orderLimit() {
        return new RateLimit(ordersPerSecondPerSymbol, 1_000);
    }
}
