package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.security.PublicKey;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.Ed25519Signatures;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyChecks;
import org.opentrade.gateway.domain.KeyLookup;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.port.ReplayGuard;

/**
 * Turns a request's credentials into a {@link Principal}, or a {@link Rejection} naming exactly what
 * is wrong. Three credentials (docs/contracts.md): {@code X-API-Key} + {@code X-API-Secret};
 * {@code X-API-Key} + {@code X-Timestamp} + {@code X-Signature} (Ed25519 over
 * {@link Ed25519Signatures#stringToSign}, within a replay window, each signed message once);
 * {@code Authorization: Bearer <session JWT>}, valid only while its developer's session generation is the
 * one it was issued in. The credential is verified before the key's status is revealed.
 *
 * <p>A signed message stays spent until its timestamp has left the window of every gateway: until
 * timestamp + window + the allowed clock skew between gateways, whenever it was first seen.
 *
 * <p>Called on the event loop; never blocks (Ed25519 verification is ~50 µs of CPU).
 */
public final class Authenticator {
    static final int MAX_KEY_ID_LENGTH = 64;
    /** -2011's message for a session logged out ({@code DELETE /v1/sessions/current}). */
    static final String SESSION_LOGGED_OUT = "this session was logged out; log in again";

    /**
     * The replay guard's id of a session logged out: recorded until the session would have ended anyway, and
     * looked up for every request with a session token (the shared store, so every gateway refuses it at once).
     */
    static String loggedOut(String sessionId) {
        return "session-ended:" + sessionId;
    }

    /** -2011's message for a session of an earlier generation than its developer's. */
    static final String SESSION_ENDED = "this session was ended: the password was changed, every session was logged"
            + " out, or the account was suspended since; log in again";

    private final KeyLookup lookup;
    private final ReplayGuard replayGuard;
    private final SessionTokens sessions;
    private final PlanCatalog plans;
    private final ClientAddresses addresses;
    private final LongSupplier nowMillis;
    private final long signatureWindowMillis;
    private final long clockSkewMillis;

    /**
     * @param clockSkewMillis how far apart the clocks of gateways sharing the replay guard may be: a
     *                        signed message is remembered that much longer than its window
     */
    public Authenticator(KeyLookup lookup, ReplayGuard replayGuard, SessionTokens sessions, PlanCatalog plans,
                         ClientAddresses addresses, LongSupplier nowMillis, long signatureWindowMillis,
                         long clockSkewMillis) {
        this.lookup = lookup;
        this.replayGuard = replayGuard;
        this.sessions = sessions;
        this.plans = plans;
        this.addresses = addresses;
        this.nowMillis = nowMillis;
        this.signatureWindowMillis = signatureWindowMillis;
        this.clockSkewMillis = clockSkewMillis;
    }

    /** An API key or a session. */
    public Future<Principal> any(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.getHeader("X-API-Key") != null) {
            return apiKey(ctx);
        }
        if (req.getHeader("Authorization") != null) {
            return verifySession(ctx);
        }
        return Future.failedFuture(new Rejection(GatewayError.CREDENTIALS_MISSING));
    }

    /** Only a portal session ({@code Authorization: Bearer}), for the portal's own endpoints. */
    public Future<Principal> session(RoutingContext ctx) {
        return verifySession(ctx);
    }

    private Future<Principal> verifySession(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth == null) {
            return Future.failedFuture(new Rejection(GatewayError.CREDENTIALS_MISSING,
                    "this endpoint needs a portal session: Authorization: Bearer <token from POST /v1/sessions>"));
        }
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(new Rejection(GatewayError.SESSION_INVALID,
                    "the Authorization header must be 'Bearer <token>'"));
        }
        return sessions.verifyClaims(auth.substring(7).strip())
                .compose(claims -> {
                    ctx.put(RequestKeys.CREDENTIAL_EXPIRES_AT, claims.expiresAtMillis());
                    ctx.put(RequestKeys.SESSION, claims);
                    return Async.store(ctx, lookup.developer(claims.developerId())).compose(dev -> {
                        if (dev.isEmpty()) {
                            return Future.failedFuture(new Rejection(GatewayError.SESSION_INVALID));
                        }
                        // Suspended first: a suspension also moves the generation on, and says so while it lasts.
                        if (dev.get().suspended()) {
                            return Future.failedFuture(new Rejection(GatewayError.DEVELOPER_SUSPENDED));
                        }
                        if (dev.get().sessionGeneration() != claims.generation()) {
                            return Future.failedFuture(new Rejection(GatewayError.SESSION_EXPIRED, SESSION_ENDED));
                        }
                        Principal session = Principal.session(dev.get().id(), plans.planOrDefault(dev.get().plan()));
                        if (claims.sessionId() == null) {
                            return Future.succeededFuture(session);
                        }
                        return Async.store(ctx, replayGuard.recorded(loggedOut(claims.sessionId()))).compose(out -> out
                                ? Future.failedFuture(new Rejection(GatewayError.SESSION_EXPIRED, SESSION_LOGGED_OUT))
                                : Future.succeededFuture(session));
                    });
                });
    }

    private Future<Principal> apiKey(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String keyId = req.getHeader("X-API-Key");
        if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH) {
            return Future.failedFuture(new Rejection(GatewayError.KEY_UNKNOWN));
        }
        String secret = req.getHeader("X-API-Secret");
        String signature = req.getHeader("X-Signature");
        if (secret == null && signature == null) {
            return Future.failedFuture(new Rejection(GatewayError.CREDENTIALS_MISSING,
                    "X-API-Key needs X-API-Secret, or X-Timestamp and X-Signature for an Ed25519 key"));
        }
        return Async.store(ctx, lookup.key(keyId)).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new Rejection(GatewayError.KEY_UNKNOWN));
            }
            ApiKey key = found.get().key();
            Plan plan = found.get().plan();
            SignatureCheck signed = signature != null ? checkSignature(ctx, key, signature) : null;
            Optional<Rejection> credential = signed != null
                    ? Optional.ofNullable(signed.rejection()) : checkSecret(key, secret);
            if (credential.isPresent()) {
                return Future.failedFuture(credential.get());
            }
            return Async.store(ctx, lookup.developer(key.developerId())).compose(dev -> {
                Developer developer = dev.orElse(null);
                // The address is parsed only for keys with an allow-list: most keys have none.
                byte[] address = key.allowedCidrs().isEmpty() ? null : addresses.of(req);
                Optional<GatewayError> status = KeyChecks.check(found.get(), developer, nowMillis.getAsLong(), address);
                if (status.isPresent()) {
                    ctx.put(RequestKeys.REFUSED_KEY, key.id());
                    if (status.get() == GatewayError.IP_NOT_ALLOWED) {
                        // The caller proved the key: its refusal carries its budget, like any other.
                        ctx.put(RequestKeys.REFUSED_PRINCIPAL, new Principal(developer.id(), key.id(), key.scopes(), plan));
                    }
                    return Future.failedFuture(new Rejection(status.get()));
                }
                Principal p = new Principal(developer.id(), key.id(), key.scopes(), plan);
                ctx.put(RequestKeys.CREDENTIAL_EXPIRES_AT, key.expiresAt());
                if (signature == null) {
                    return Future.succeededFuture(p);
                }
                long remember = Math.max(1, signed.spentUntil() - nowMillis.getAsLong());
                return Async.store(ctx, replayGuard.firstUse(signed.replayId(), remember))
                        .compose(first -> first ? Future.succeededFuture(p)
                                : Future.failedFuture(new Rejection(GatewayError.SIGNATURE_REPLAYED)));
            });
        });
    }

    private Optional<Rejection> checkSecret(ApiKey key, String secret) {
        if (key.type() != KeyType.SECRET) {
            return Optional.of(new Rejection(GatewayError.WRONG_KEY_TYPE,
                    "this is an Ed25519 key: sign the request with X-Timestamp and X-Signature instead of X-API-Secret"));
        }
        if (!ApiSecrets.matches(secret, key.secretHashes(), key.previousSecretUntil(), nowMillis.getAsLong())) {
            return Optional.of(new Rejection(GatewayError.SECRET_WRONG));
        }
        return Optional.empty();
    }

    /** A signature's verdict: a rejection, or what the replay guard must remember and until when. */
    private record SignatureCheck(Rejection rejection, String replayId, long spentUntil) {
        static SignatureCheck rejected(Rejection r) {
            return new SignatureCheck(r, null, 0);
        }
    }

    private SignatureCheck checkSignature(RoutingContext ctx, ApiKey key, String signature) {
        if (key.type() != KeyType.ED25519) {
            return SignatureCheck.rejected(new Rejection(GatewayError.WRONG_KEY_TYPE,
                    "this is a secret key: send X-API-Secret, not X-Signature"));
        }
        String ts = ctx.request().getHeader("X-Timestamp");
        long timestamp;
        try {
            timestamp = ts == null || ts.length() > 20 ? Long.MIN_VALUE : Long.parseLong(ts);
        } catch (NumberFormatException e) {
            timestamp = Long.MIN_VALUE;
        }
        if (timestamp == Long.MIN_VALUE
                || !KeyChecks.timestampInWindow(timestamp, nowMillis.getAsLong(), signatureWindowMillis)) {
            return SignatureCheck.rejected(new Rejection(GatewayError.TIMESTAMP_OUT_OF_WINDOW, "X-Timestamp must be "
                    + "epoch milliseconds within " + signatureWindowMillis / 1000 + " s of the gateway's clock"));
        }
        Optional<PublicKey> pub = Ed25519Signatures.parsePublicKey(key.publicKey());
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        String signed = Ed25519Signatures.stringToSign(ts, ctx.request().method().name(), ctx.request().uri(),
                body == null ? null : body.getBytes());
        if (pub.isEmpty() || !Ed25519Signatures.verify(pub.get(), signature, signed)) {
            return SignatureCheck.rejected(new Rejection(GatewayError.SIGNATURE_INVALID,
                    "X-Signature must be the padded standard base64 of an Ed25519 signature of the string to sign"));
        }
        return new SignatureCheck(null, Ed25519Signatures.replayId(key.id(), signed),
                timestamp + signatureWindowMillis + clockSkewMillis);
    }
}
