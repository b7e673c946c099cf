package org.opentrade.common.discovery;

/** A registered {@link InstanceListener}; {@link #cancel()} stops further calls (idempotent). */
@FunctionalInterface
public interface Watch {
    void cancel();
}
