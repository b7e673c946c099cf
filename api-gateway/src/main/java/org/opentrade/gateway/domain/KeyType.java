package org.opentrade.gateway.domain;

/**
 * How a key proves itself. {@code SECRET}: {@code X-API-Key} + {@code X-API-Secret} (the gateway
 * stores only a hash). {@code ED25519}: the developer registers a public key and signs each request;
 * the gateway stores nothing secret.
 */
public enum KeyType {
    SECRET,
    ED25519
}
