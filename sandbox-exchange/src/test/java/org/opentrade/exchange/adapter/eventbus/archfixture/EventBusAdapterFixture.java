package org.opentrade.exchange.adapter.eventbus.archfixture;

import io.vertx.core.Vertx;

/** Not production code: an event-bus adapter class using Vert.x, which the rules must allow. */
public final class EventBusAdapterFixture {
    Vertx vertx;
}
