package org.opentrade.gateway.domain;

import java.util.Optional;

/** What an API key may do. Wire names are the strings of docs/contracts.md ({@code market:read}, ...). */
public enum Scope {
    MARKET_READ("market:read"),
    TRADE("trade"),
    FIX("fix");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Scope> fromWire(String name) {
        for (Scope s : values()) {
            if (s.wireName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
