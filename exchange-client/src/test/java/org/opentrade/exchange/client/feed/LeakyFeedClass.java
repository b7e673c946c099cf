package org.opentrade.exchange.client.feed;

import io.vertx.core.Vertx;

/** Test fixture: a core class that imports Vert.x, which the architecture rule must catch. */
final class LeakyFeedClass {
    Vertx vertx;
}
