package org.opentrade.exchange.model;

/** Kinds of {@link ExchangeEvent}. The first six are the replay contract's event names. */
public enum EventType {
    ACCEPTED, REJECTED, TRADE, CANCELED, REPLACED, EXPIRED, TRIGGERED
}
