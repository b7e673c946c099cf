package org.opentrade.trade.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.CallerIdentity;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.common.identity.Verification;

/**
 * Who is calling, from the gateway's signed {@code X-OpenTrade-Assertion} only (audience
 * {@value #AUDIENCE}, scope {@value #SCOPE}): a caller that reaches trade-api's port directly cannot
 * act for anyone. Event loop; never blocks (a token's signature is checked once, then remembered).
 */
public final class AssertionCallerCheck implements CallerCheck {
    public static final String AUDIENCE = "trade-api";
    public static final String SCOPE = "trade";

    private final AssertionVerifier verifier;

    public AssertionCallerCheck(AssertionVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Caller verify(HttpServerRequest request) {
        Verification v = verifier.verify(request.getHeader(IdentityAssertions.HEADER), AUDIENCE, System.currentTimeMillis());
        if (!v.valid() || !v.identity().hasScope(SCOPE)) {
            return null;
        }
        CallerIdentity id = v.identity();
        return new Caller(id.developerId(), id.keyId(), id.plan());
    }
}
