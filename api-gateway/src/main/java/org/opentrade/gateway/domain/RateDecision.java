package org.opentrade.gateway.domain;

/**
 * The answer of one limiter call, with what the {@code RateLimit-*} headers and {@code Retry-After}
 * report.
 *
 * @param allowed          whether the units passed (and were counted)
 * @param limit            the bucket's limit
 * @param remaining        units that could pass right now after this decision
 * @param resetMillis      time until the bucket is full again
 * @param retryAfterMillis when refused: time until the same request would pass; else 0
 */
public record RateDecision(boolean allowed, long limit, long remaining, long resetMillis, long retryAfterMillis) {
}
