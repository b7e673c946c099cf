package org.opentrade.gateway.adapter.embedded;

import org.opentrade.gateway.port.ReplayGuard;
import org.opentrade.gateway.port.ReplayGuardContract;

class InMemoryReplayGuardTest extends ReplayGuardContract {

    @Override
    protected ReplayGuard newGuard() {
        return new InMemoryReplayGuard();
    }
}
