package org.opentrade.market.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.CallerIdentity;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.common.identity.Verification;

/**
 * Who is calling, from the gateway's signed {@code X-OpenTrade-Assertion} only (audience
 * {@value #AUDIENCE}, scope {@value #SCOPE}): the plain {@code X-OpenTrade-*} headers are never
 * believed, so a caller that reaches market-api's port directly cannot act for anyone. The verifier
 * remembers verified tokens, so a signature is checked once per token, not per request. Event loop;
 * never blocks.
 */
public final class AssertionCallerCheck implements CallerCheck {
    public static final String AUDIENCE = "market-api";
    public static final String SCOPE = "market:read";

    private final AssertionVerifier verifier;

    public AssertionCallerCheck(AssertionVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Caller verify(HttpServerRequest request) {
        Verification v = verifier.verify(request.getHeader(IdentityAssertions.HEADER), AUDIENCE, System.currentTimeMillis());
        if (!v.valid()) {
            return null;
        }
        CallerIdentity id = v.identity();
        if (!id.hasScope(SCOPE)) {
            return null;
        }
        return new Caller(id.developerId(), id.keyId(), id.plan(), id.traceId());
    }
}
