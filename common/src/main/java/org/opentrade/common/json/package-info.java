/**
 * JSON written straight to bytes on the services' hot paths: {@link org.opentrade.common.json.JsonBytes}
 * (byte for byte what Vert.x's Jackson codec writes, plus the decimal and time shapes of docs/contracts.md) and
 * {@link org.opentrade.common.json.IsoTimes}, the one hand-written RFC 3339 time formatter.
 *
 * <p>The only package of common that uses Vert.x (Buffers) and Netty (pooled direct buffers).
 */
package org.opentrade.common.json;
