package org.opentrade.exchange.domain.archfixture;

import com.lmax.disruptor.RingBuffer;
import io.vertx.core.Vertx;

/**
 * Not production code: a domain-package class that breaks every layering rule on purpose, so
 * {@code ArchitectureTest} can show its rules catch a leak. Lives in test sources, which the real
 * check does not import.
 */
public final class LeakyDomainClass {
    Vertx vertx;
    RingBuffer<Object> ring;
}
