/**
 * The gateway's signed identity assertion ({@link org.opentrade.common.identity.IdentityAssertions}
 * describes the format): the gateway signs who is calling with its Ed25519 key, upstream services
 * verify it with the gateway's public key and refuse a request without a valid one, so a caller that
 * reaches a service's port directly cannot act for anyone. Plain JDK crypto; no framework here.
 */
package org.opentrade.common.identity;
