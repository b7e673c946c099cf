package org.opentrade.gateway.adapter.embedded;

import org.opentrade.gateway.port.RateLimiter;
import org.opentrade.gateway.port.RateLimiterContract;

class InProcessRateLimiterTest extends RateLimiterContract {

    @Override
    protected RateLimiter newLimiter() {
        return new InProcessRateLimiter();
    }
}
