package org.opentrade.gateway.domain;

/**
 * Life cycle of a key. {@code REVOKED}: its owner revoked it. {@code KILLED}: an administrator
 * disabled it (the kill switch); only an administrator can lift that. {@code REVOKED} is final: no
 * write takes a key out of it, and its owner may revoke a killed key.
 */
public enum KeyStatus {
    ACTIVE,
    REVOKED,
    KILLED
}
