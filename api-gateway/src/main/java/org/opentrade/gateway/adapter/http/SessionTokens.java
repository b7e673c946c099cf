package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.function.LongSupplier;
import org.opentrade.common.identity.SecretFiles;
import org.opentrade.gateway.adapter.embedded.PrivateFiles;
import org.opentrade.gateway.domain.GatewayError;

/**
 * Portal sessions and password-reset tokens: ES256-signed JWTs (vertx-auth-jwt) with a short expiry, each
 * carrying its developer's session generation (a password change or a log-out everywhere moves it on, which
 * ends every earlier token; the caller compares it with the stored developer's). The key pair is read from
 * a PEM file, or generated and written there (mode 600) on first start; gateways that share
 * sessions point at the same file. Expiry is checked here rather than by the library so that an
 * expired token (-2011) is told apart from a forged or malformed one (-2012).
 */
public final class SessionTokens {
    public static final String ISSUER = "opentrade";
    private static final int MAX_TOKEN_LENGTH = 4096;
    /** The "use" claim of a password-reset token; session tokens have none. */
    private static final String RESET_USE = "password-reset";

    private final JWTAuth jwt;
    private final int ttlSeconds;
    private final int maxAgeSeconds;
    private final LongSupplier nowMillis;

    private SessionTokens(JWTAuth jwt, int ttlSeconds, int maxAgeSeconds, LongSupplier nowMillis) {
        this.jwt = jwt;
        this.ttlSeconds = ttlSeconds;
        this.maxAgeSeconds = maxAgeSeconds;
        this.nowMillis = nowMillis;
    }

    /**
     * Loads or creates the key file. Blocks on the file system: call at start-up.
     *
     * @param ttlSeconds    how long one session token is valid
     * @param maxAgeSeconds how long a session lasts from its log-in, however often it is refreshed
     */
    public static SessionTokens create(Vertx vertx, Path keyFile, int ttlSeconds, int maxAgeSeconds, LongSupplier nowMillis)
            throws IOException {
        String pem = loadOrCreate(keyFile);
        String privatePem = section(pem, "PRIVATE KEY");
        String publicPem = section(pem, "PUBLIC KEY");
        JWTAuthOptions options = new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(privatePem))
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(publicPem))
                .setJWTOptions(new JWTOptions().setIgnoreExpiration(true).setIssuer(ISSUER));
        return new SessionTokens(JWTAuth.create(vertx, options), ttlSeconds, maxAgeSeconds, nowMillis);
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    /**
     * A new session token for the developer (a log-in), valid while {@code generation} is their current session
     * generation ({@link org.opentrade.gateway.domain.Developer#sessionGeneration}).
     */
    public String issue(String developerId, int generation) {
        long now = nowMillis.getAsLong() / 1000;
        return sign(developerId, generation, now + ttlSeconds, null, now, newSessionId());
    }

    /** 128 random bits, base64url: what names one session (its log-in) through its refreshes. */
    private static String newSessionId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return URL_ENCODER.encodeToString(id);
    }

    /** Epoch ms when the session of {@code claims} ends whatever is refreshed: its log-in plus the maximum age. */
    public long sessionEndsAtMillis(Claims claims) {
        return (claims.loggedInAtSeconds() + maxAgeSeconds) * 1000;
    }

    /**
     * A new token of the same session (same developer, generation and log-in time), valid for another
     * {@code ttlSeconds} but never past the session's maximum age from its log-in.
     *
     * @throws Rejection SESSION_EXPIRED when the session has reached its maximum age
     */
    public Session refresh(Claims session) {
        long now = nowMillis.getAsLong() / 1000;
        long end = session.loggedInAtSeconds() + maxAgeSeconds;
        if (end <= now) {
            throw new Rejection(GatewayError.SESSION_EXPIRED, "the session has lasted its longest ("
                    + maxAgeSeconds / 3600.0 + " h since log-in); log in again");
        }
        long exp = Math.min(now + ttlSeconds, end);
        // A token from before session ids gets one here, so its refreshes can be logged out one by one.
        String sid = session.sessionId() != null ? session.sessionId() : newSessionId();
        return new Session(sign(session.developerId(), session.generation(), exp, null, session.loggedInAtSeconds(), sid),
                exp - now);
    }

    /** A token and the seconds until it expires. */
    public record Session(String token, long expiresInSeconds) {
    }

    /**
     * A password-reset token for the developer: not a session (no endpoint takes it as one), valid for
     * {@code ttlSeconds} and while {@code generation} is current, so its first use (which sets a new password
     * and moves the generation on) ends it, and so does any later password change or log-out everywhere.
     */
    public String issueReset(String developerId, int generation, int ttlSeconds) {
        long now = nowMillis.getAsLong() / 1000;
        return sign(developerId, generation, now + ttlSeconds, RESET_USE, now, null);
    }

    private String sign(String developerId, int generation, long expSeconds, String use, long loggedInAtSeconds,
                        String sessionId) {
        long now = nowMillis.getAsLong() / 1000;
        JsonObject claims = new JsonObject().put("sub", developerId).put("iat", now).put("exp", expSeconds)
                .put("gen", generation).put("auth_time", loggedInAtSeconds);
        if (use != null) {
            claims.put("use", use);
        }
        if (sessionId != null) {
            claims.put("sid", sessionId);
        }
        return jwt.generateToken(claims, new JWTOptions().setAlgorithm("ES256").setIssuer(ISSUER).setNoTimestamp(true));
    }

    /**
     * The developer id of a valid, unexpired token; fails with {@link Rejection} SESSION_EXPIRED or
     * SESSION_INVALID. Whether the token's generation is still its developer's is for the caller to check.
     */
    public Future<String> verify(String token) {
        return verifyClaims(token).map(Claims::developerId);
    }

    /**
     * What a valid token says: whose it is, until when (epoch ms) it is valid, the developer's session
     * generation it was issued in (0 for tokens issued before generations existed, as every developer's
     * generation was then), and when (epoch s) the session's log-in was ({@code auth_time}; the token's
     * {@code iat} for tokens issued before refreshes existed), and the id of the session ({@code sid}, kept
     * through its refreshes; null for tokens issued before session ids existed).
     */
    public record Claims(String developerId, long expiresAtMillis, int generation, long loggedInAtSeconds,
                         String sessionId) {
    }

    /** Like {@link #verify}, with the token's expiry (an open stream is closed then) and generation. */
    public Future<Claims> verifyClaims(String token) {
        return verify(token, null, GatewayError.SESSION_INVALID, GatewayError.SESSION_EXPIRED);
    }

    /**
     * The claims of a valid, unexpired password-reset token ({@link #issueReset}); fails with {@link Rejection}
     * RESET_TOKEN_INVALID (a session token is not one). Whether its generation is current is for the caller.
     */
    public Future<Claims> verifyReset(String token) {
        return verify(token, RESET_USE, GatewayError.RESET_TOKEN_INVALID, GatewayError.RESET_TOKEN_INVALID);
    }

    /** {@code use}: the token's "use" claim, null for sessions (a token with another use is invalid). */
    private Future<Claims> verify(String token, String use, GatewayError invalid, GatewayError expired) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !canonical(token)) {
            return Future.failedFuture(new Rejection(invalid));
        }
        return jwt.authenticate(new TokenCredentials(token))
                .recover(err -> Future.failedFuture(new Rejection(invalid)))
                .compose(user -> {
                    // vertx-auth-jwt keeps the decoded claims under attributes.accessToken
                    JsonObject p = user.attributes().getJsonObject("accessToken", user.principal());
                    Object sub = p.getValue("sub");
                    Object exp = p.getValue("exp");
                    Object gen = p.containsKey("gen") ? p.getValue("gen") : Integer.valueOf(0);
                    Object loggedIn = p.containsKey("auth_time") ? p.getValue("auth_time") : p.getValue("iat");
                    Object sid = p.getValue("sid");
                    if (!(sub instanceof String s) || !(exp instanceof Number e) || !ISSUER.equals(p.getValue("iss"))
                            || !(gen instanceof Integer g) || !(loggedIn instanceof Number a)
                            || sid != null && !(sid instanceof String) || !java.util.Objects.equals(use, p.getValue("use"))) {
                        return Future.failedFuture(new Rejection(invalid));
                    }
                    if (e.longValue() * 1000 <= nowMillis.getAsLong()) {
                        return Future.failedFuture(new Rejection(expired));
                    }
                    return Future.succeededFuture(new Claims(s, e.longValue() * 1000, g, a.longValue(), (String) sid));
                });
    }

    /**
     * Whether {@code token} is spelt the one way its bytes are: three unpadded base64url segments, each what
     * encoding its decoded bytes gives back, and a 64-byte ES256 signature (R || S). vertx-auth-jwt's decoding
     * is lenient: a token with a character appended to its signature was accepted as the same session, so one
     * session had many texts (a gateway, cache or log keyed by the text would count them apart).
     */
    static boolean canonical(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        byte[] signature = null;
        for (String part : parts) {
            if (part.isEmpty() || !part.chars().allMatch(SessionTokens::base64Url)) {
                return false;
            }
            byte[] bytes;
            try {
                bytes = URL_DECODER.decode(part);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (!URL_ENCODER.encodeToString(bytes).equals(part)) {
                return false;
            }
            signature = bytes;
        }
        return signature.length == 64;
    }

    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static boolean base64Url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static String loadOrCreate(Path keyFile) throws IOException {
        if (Files.exists(keyFile)) {
            // Made mode 600 when written with the default mode by earlier versions; a mounted secret
            // (another user's file) is read as it is.
            SecretFiles.restrictToOwner(keyFile);
            return Files.readString(keyFile, StandardCharsets.US_ASCII);
        }
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            pair = g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is part of every JDK", e);
        }
        String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
        // Created mode 600: never readable by others, not even until a chmod.
        PrivateFiles.replace(keyFile, pem.getBytes(StandardCharsets.US_ASCII));
        return pem;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String section(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException("session key file has no " + type + " section");
        }
        return pem.substring(b, e + end.length()) + "\n";
    }
}
