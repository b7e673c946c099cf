package org.opentrade.gateway.domain;

/**
 * Life cycle of a key. {@code REVOKED}: its owner revoked it. {@code KILLED}: an administrator
 * disabled it (the kill switch); only an administrator can lift that.
 */
public enum KeyStatus {
    ACTIVE,
    REVOKED,
    KILLED
}
