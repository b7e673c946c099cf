package org.opentrade.market.adapter.http;

/**
 * Who is calling, as the gateway asserted it: developer, key (null for a portal session) and plan.
 */
public record Caller(String developerId, String keyId, String plan, String traceId) {
}
