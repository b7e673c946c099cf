package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.app.TestGateway;

/** Every way a request can fail authentication, each with its own error number, and the ways it passes. */
class AuthenticationPathsTest extends SignedInGateway {
    private JsonObject secretKey(JsonObject extra) throws Exception {
        return gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade"))
                .mergeIn(extra));
    }

    private static void assertError(HttpResponse<String> r, int status, int errorNo) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(errorNo, body.getInteger("error_no"), r.body());
        assertFalse(body.getString("error").isBlank());
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
        assertTrue(body.getString("trace_id").matches("[0-9a-f]{32}"));
    }

    @Test
    void validSecretKeyReachesTheUpstreamWithRateLimitHeaders() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        HttpResponse<String> r = gw.get("/v1/market/depth/600000.SH", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(key.getString("key_id"), new JsonObject(r.body()).getString("key_id"));
        assertEquals("1200", r.headers().firstValue("RateLimit-Limit").orElseThrow());
        assertEquals("1195", r.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertTrue(r.headers().firstValue("RateLimit-Reset").isPresent());
    }

    @Test
    void noCredentialsIsRefusedWith2001() throws Exception {
        assertError(gw.get("/v1/market/quotes?symbols=600000.SH"), 401, -2001);
        assertError(gw.get("/v1/market/quotes", "X-API-Key", "otk_x"), 401, -2001);
    }

    /**
     * A credential sent twice is refused, whichever value comes first: the gateway, the service behind it
     * and a proxy in front could each read another one. So is a repeated Idempotency-Key.
     */
    @Test
    void aRepeatedCredentialOrIdempotencyKeyIsRefusedWith1007() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        String id = key.getString("key_id");
        String secret = key.getString("secret");
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret).statusCode());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Key", "otk_other", "X-API-Secret", secret),
                400, -1007);
        assertError(gw.get("/v1/market/quotes", "x-api-key", "otk_other", "X-API-Key", id, "X-API-Secret", secret),
                400, -1007);
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret, "X-API-Secret", "ots_x"),
                400, -1007);
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret,
                "Idempotency-Key", "a", "Idempotency-Key", "b"), 400, -1007);
        assertError(gw.get("/v1/developers/me", "Authorization", "Bearer " + token, "Authorization", "Bearer x"),
                400, -1007);
        HttpResponse<String> r = gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Key", id, "X-API-Secret", secret);
        assertTrue(new JsonObject(r.body()).getString("error").contains("X-API-Key is repeated"), r.body());
    }

    @Test
    void unknownKeyIsRefusedWith2002() throws Exception {
        assertError(gw.get("/v1/market/quotes", "X-API-Key", "otk_nosuchkey", "X-API-Secret", "ots_x"), 401, -2002);
    }

    @Test
    void wrongSecretIsRefusedWith2003() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", key.getString("key_id"), "X-API-Secret", "ots_wrong"),
                401, -2003);
    }

    @Test
    void revokedKeyIsRefusedWith2004() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        HttpResponse<String> del = gw.send(gw.request("/v1/keys/" + key.getString("key_id")).DELETE()
                .header("Authorization", "Bearer " + token));
        assertEquals(200, del.statusCode(), del.body());
        assertEquals("revoked", new JsonObject(del.body()).getString("status"));
        Instant revokedAt = Instant.parse(new JsonObject(del.body()).getString("revoked_at"));
        assertTrue(Math.abs(Duration.between(revokedAt, Instant.now()).toSeconds()) < 60, del.body());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", key.getString("key_id"), "X-API-Secret",
                key.getString("secret")), 401, -2004);
        HttpResponse<String> again = gw.send(gw.request("/v1/keys/" + key.getString("key_id")).DELETE()
                .header("Authorization", "Bearer " + token));
        assertEquals(revokedAt.toString(), Instant.parse(new JsonObject(again.body()).getString("revoked_at")).toString(),
                "a second revocation keeps the first one's time: " + again.body());
    }

    @Test
    void expiredKeyIsRefusedWith2005() throws Exception {
        JsonObject key = secretKey(new JsonObject().put("expires_at", Instant.now().plusMillis(1500).toString()));
        long deadline = System.currentTimeMillis() + 10_000;
        HttpResponse<String> r;
        do {
            Thread.sleep(100); // waiting for wall-clock expiry, not for async work
            r = gw.get("/v1/market/quotes", "X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret"));
        } while (r.statusCode() == 200 && System.currentTimeMillis() < deadline);
        assertError(r, 401, -2005);
    }

    @Test
    void keyWithoutTheRouteScopeIsRefusedWith2006() throws Exception {
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        HttpResponse<String> r = gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", "X-API-Key",
                key.getString("key_id"), "X-API-Secret", key.getString("secret"));
        assertError(r, 403, -2006);
        assertTrue(new JsonObject(r.body()).getString("error").contains("'trade'"));
    }

    @Test
    void callerOutsideTheAllowListIsRefusedWith2007() throws Exception {
        JsonObject key = secretKey(new JsonObject().put("allowed_cidrs", new JsonArray().add("203.0.113.0/24")));
        assertError(gw.get("/v1/market/quotes", "X-API-Key", key.getString("key_id"), "X-API-Secret",
                key.getString("secret")), 403, -2007);
        JsonObject local = secretKey(new JsonObject().put("allowed_cidrs", new JsonArray().add("127.0.0.0/8")));
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", local.getString("key_id"), "X-API-Secret",
                local.getString("secret")).statusCode());
        // The refusal counts for the key: its owner sees its secret used from where it should not be.
        String refusedKey = key.getString("key_id");
        org.opentrade.gateway.port.Await.until(java.time.Duration.ofSeconds(10), () -> new JsonObject(
                        gw.get("/v1/usage?key_id=" + refusedKey, "Authorization", "Bearer " + token).body())
                .getJsonArray("rows").stream().map(JsonObject.class::cast)
                .anyMatch(r -> r.getLong("calls_4xx") == 1 && r.getString("route").startsWith("GET /v1/market/quotes")));
    }

    @Test
    void aRevokedKeyUsedWithItsSecretCountsForThatKeyAWrongSecretForNone() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        String id = key.getString("key_id");
        assertEquals(200, gw.send(gw.request("/v1/keys/" + id).DELETE().header("Authorization", "Bearer " + token))
                .statusCode());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", key.getString("secret")), 401, -2004);
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", "ots_wrong"), 401, -2003);
        org.opentrade.gateway.port.Await.until(java.time.Duration.ofSeconds(10), () -> new JsonObject(
                        gw.get("/v1/usage?key_id=" + id, "Authorization", "Bearer " + token).body())
                .getJsonArray("rows").stream().map(JsonObject.class::cast)
                .anyMatch(r -> r.getString("route").startsWith("GET /v1/market/quotes")));
        long calls = new JsonObject(gw.get("/v1/usage?key_id=" + id, "Authorization", "Bearer " + token).body())
                .getJsonArray("rows").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("route").startsWith("GET /v1/market/quotes")).mapToLong(r -> r.getLong("calls")).sum();
        assertEquals(1, calls, "the call with the right secret, not the one with a wrong one");
    }

    @Test
    void signedRequestsVerifyAndEachFailureHasItsOwnNumber() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JsonObject key = gw.createKey(token, new JsonObject().put("type", "ed25519")
                .put("scopes", new JsonArray().add("trade"))
                .put("public_key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())));
        assertEquals(null, key.getString("secret"));
        String id = key.getString("key_id");
        String body = "{\"symbol\":\"600000.SH\",\"side\":\"BUY\",\"qty\":100}";
        String ts = Long.toString(System.currentTimeMillis());
        String sig = signRequest(pair, ts, "POST", "/v1/orders?x=1", body);

        HttpResponse<String> ok = gw.post("/v1/orders?x=1", body, "X-API-Key", id, "X-Timestamp", ts, "X-Signature", sig);
        assertEquals(200, ok.statusCode(), ok.body());
        assertError(gw.post("/v1/orders?x=1", body, "X-API-Key", id, "X-Timestamp", ts, "X-Signature", sig), 401, -2010);

        String ts2 = Long.toString(System.currentTimeMillis());
        String tampered = signRequest(pair, ts2, "POST", "/v1/orders?x=1", body);
        assertError(gw.post("/v1/orders?x=1", body.replace("100", "900"), "X-API-Key", id, "X-Timestamp", ts2,
                "X-Signature", tampered), 401, -2008);

        String old = Long.toString(System.currentTimeMillis() - 120_000);
        assertError(gw.post("/v1/orders", body, "X-API-Key", id, "X-Timestamp", old, "X-Signature",
                signRequest(pair, old, "POST", "/v1/orders", body)), 401, -2009);
        assertError(gw.post("/v1/orders", body, "X-API-Key", id, "X-Timestamp", "yesterday", "X-Signature", sig),
                401, -2009);
        assertError(gw.post("/v1/orders", body, "X-API-Key", id, "X-API-Secret", "ots_x"), 403, -2019);
    }

    @Test
    void aSignedRequestIsAcceptedOnceHoweverItsSignatureIsSpelled() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String id = ed25519Key(pair);
        String body = "{\"symbol\":\"600000.SH\",\"side\":\"BUY\",\"qty\":100}";
        String ts = Long.toString(System.currentTimeMillis());
        String sig = signRequest(pair, ts, "POST", "/v1/orders", body);
        assertEquals(200, gw.post("/v1/orders", body, "X-API-Key", id, "X-Timestamp", ts, "X-Signature", sig).statusCode());

        String unpadded = sig.substring(0, sig.indexOf('='));
        String urlSafe = unpadded.replace('+', '-').replace('/', '_') + "==";
        // 64 bytes leave 4 unused bits in the last character: set one of them.
        char last = unpadded.charAt(unpadded.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String trailingBits = unpadded.substring(0, unpadded.length() - 1)
                + alphabet.charAt(alphabet.indexOf(last) | 1) + "==";
        for (String respelled : new String[] {unpadded, urlSafe, trailingBits, unpadded.replace('+', '-').replace('/', '_')}) {
            HttpResponse<String> again = gw.post("/v1/orders", body, "X-API-Key", id, "X-Timestamp", ts,
                    "X-Signature", respelled);
            assertEquals(401, again.statusCode(), "replayed as " + respelled + ": " + again.body());
        }
    }

    @Test
    void bytesCannotBeMovedBetweenTheSignedPathAndTheBody() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String id = ed25519Key(pair);
        String ts = Long.toString(System.currentTimeMillis());
        String signedForPath = signRequest(pair, ts, "POST", "/v1/account/reset?x=1", "");
        assertError(gw.post("/v1/account/reset?x=", "1", "X-API-Key", id, "X-Timestamp", ts, "X-Signature", signedForPath),
                401, -2008);
    }

    private String ed25519Key(KeyPair pair) throws Exception {
        return gw.createKey(token, new JsonObject().put("type", "ed25519").put("scopes", new JsonArray().add("trade"))
                .put("public_key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()))).getString("key_id");
    }

    @Test
    void expiredSessionIsToldApartFromAnInvalidOne() throws Exception {
        String pem = Files.readString(dir.resolve("data/session-es256.pem"), StandardCharsets.US_ASCII);
        String priv = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----"), pem.indexOf("-----BEGIN PUBLIC KEY-----"));
        JWTAuth signer = JWTAuth.create(gw.vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(priv)));
        String devId = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
        long past = System.currentTimeMillis() / 1000 - 60;
        String expired = signer.generateToken(new JsonObject().put("sub", devId).put("iat", past - 900).put("exp", past),
                new JWTOptions().setAlgorithm("ES256").setIssuer("opentrade").setNoTimestamp(true));
        assertError(gw.get("/v1/keys", "Authorization", "Bearer " + expired), 401, -2011);
        assertError(gw.get("/v1/keys", "Authorization", "Bearer not.a.jwt"), 401, -2012);
        assertError(gw.get("/v1/keys", "Authorization", "Basic abc"), 401, -2012);
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertError(gw.get("/v1/keys", "Authorization", "Bearer " + forged), 401, -2012);
        // Other spellings of the valid token are not it: a character appended to the signature (accepted before),
        // padding, the standard alphabet's characters, unused trailing bits changed.
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String head = token.substring(0, token.lastIndexOf('.') + 1);
        char last = signature.charAt(signature.length() - 1);
        char lastOtherBits = "AQgw".indexOf(last) >= 0 ? (char) (last + 1) : (char) (last - 1); // 86 chars: 4 bits unused
        for (String respelt : new String[] {token + "x", token + "A", token + "==", head + signature.replace('-', '+').replace('_', '/'),
                head + signature.substring(0, signature.length() - 1) + lastOtherBits}) {
            if (!respelt.equals(token)) {
                assertError(gw.get("/v1/keys", "Authorization", "Bearer " + respelt), 401, -2012);
            }
        }
        assertEquals(200, gw.get("/v1/keys", "Authorization", "Bearer " + token).statusCode(), "the token as issued");
    }

    @Test
    void aRevokedKeyStaysRevokedWhenAnAdministratorLiftsAKill() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        String id = key.getString("key_id");
        String secret = key.getString("secret");
        assertEquals(200, gw.post("/v1/admin/keys/" + id + "/kill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN).statusCode());
        HttpResponse<String> revoke = gw.send(gw.request("/v1/keys/" + id).header("Authorization", "Bearer " + token)
                .DELETE());
        assertEquals(200, revoke.statusCode(), revoke.body());
        assertEquals("revoked", new JsonObject(revoke.body()).getString("status"));

        HttpResponse<String> unkill = gw.post("/v1/admin/keys/" + id + "/unkill", "", "X-Admin-Token",
                TestGateway.ADMIN_TOKEN);
        assertEquals("revoked", new JsonObject(unkill.body()).getString("status"), unkill.body());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret), 401, -2004);
        gw.post("/v1/admin/keys/" + id + "/kill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN);
        gw.post("/v1/admin/keys/" + id + "/unkill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN);
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret), 401, -2004);
    }

    @Test
    void wrongPasswordAndTakenEmailAreRefused() throws Exception {
        assertError(gw.post("/v1/sessions", "{\"email\":\"ada@example.com\",\"password\":\"wrong password!\"}"), 401, -2013);
        assertError(gw.post("/v1/sessions", "{\"email\":\"nobody@example.com\",\"password\":\"wrong password!\"}"), 401, -2013);
        assertError(gw.post("/v1/developers", "{\"email\":\"ADA@example.com\",\"password\":\"another password\",\"name\":\"A\"}"),
                409, -2014);
    }

    @Test
    void suspendedDeveloperAndKilledKeyAreRefusedAtOnce() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        String id = key.getString("key_id");
        String secret = key.getString("secret");
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret).statusCode());

        assertError(gw.post("/v1/admin/keys/" + id + "/kill", "", "X-Admin-Token", "wrong-token-wrong-token"), 401, -2017);
        assertError(gw.get("/v1/admin/developers"), 401, -2017);
        HttpResponse<String> kill = gw.post("/v1/admin/keys/" + id + "/kill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN);
        assertEquals(200, kill.statusCode(), kill.body());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret), 403, -2016);
        gw.post("/v1/admin/keys/" + id + "/unkill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN);
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret).statusCode());

        String devId = new JsonObject(kill.body()).getString("developer_id");
        assertEquals(200, gw.post("/v1/admin/developers/" + devId + "/suspend", "", "X-Admin-Token",
                TestGateway.ADMIN_TOKEN).statusCode());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret), 403, -2015);
        assertError(gw.get("/v1/keys", "Authorization", "Bearer " + token), 403, -2015);
        assertError(gw.post("/v1/sessions", "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}"),
                403, -2015);
    }

    /**
     * A suspension ends the developer's sessions (and unused reset tokens): lifting it does not bring back a session
     * from before it. An administrator suspends an account that was taken over; the sessions of whoever took it
     * came back with the unsuspension (each refreshable to 12 h from its log-in), also a reset token issued
     * before it. API keys are left alone (they have their own kill switch); a new log-in works after the lift.
     */
    @Test
    void liftingASuspensionDoesNotBringBackSessionsFromBeforeIt() throws Exception {
        JsonObject me = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + token).body());
        String devId = me.getString("developer_id");
        JsonObject key = secretKey(new JsonObject());
        String reset = new JsonObject(gw.post("/v1/admin/developers/" + devId + "/password-reset", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN).body()).getString("reset_token");
        assertEquals(200, gw.post("/v1/admin/developers/" + devId + "/suspend", "", "X-Admin-Token",
                TestGateway.ADMIN_TOKEN).statusCode());
        assertError(gw.get("/v1/keys", "Authorization", "Bearer " + token), 403, -2015);
        assertEquals(200, gw.post("/v1/admin/developers/" + devId + "/unsuspend", "", "X-Admin-Token",
                TestGateway.ADMIN_TOKEN).statusCode());

        assertError(gw.get("/v1/keys", "Authorization", "Bearer " + token), 401, -2011);
        assertError(gw.post("/v1/sessions/refresh", "", "Authorization", "Bearer " + token), 401, -2011);
        assertError(gw.post("/v1/developers/password-reset", new JsonObject().put("reset_token", reset)
                .put("new_password", "another horse battery").encode()), 400, -2023);
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", key.getString("key_id"), "X-API-Secret",
                key.getString("secret")).statusCode(), "keys are not sessions");
        HttpResponse<String> again = gw.post("/v1/sessions",
                "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}");
        assertEquals(201, again.statusCode(), again.body());
        String fresh = new JsonObject(again.body()).getString("token");
        assertEquals(200, gw.get("/v1/keys", "Authorization", "Bearer " + fresh).statusCode());
    }

    /**
     * A rotation whose answer was lost is retried: the retry must not end the secret every running client still
     * uses. It did: a second rotation kept only the secret of the first (which the caller never received) and ended
     * the original at once. Now every earlier secret still in its grace stays valid until the new grace ends (at
     * most two earlier ones); a rotation with grace 0 still ends them all at once.
     */
    @Test
    void aRetriedRotationKeepsTheSecretTheClientsStillUse() throws Exception {
        String session = "Bearer " + token;
        JsonObject key = secretKey(new JsonObject());
        String id = key.getString("key_id");
        String original = key.getString("secret");
        String lost = new JsonObject(gw.post("/v1/keys/" + id + "/rotate", "{\"grace_seconds\":3600}",
                "Authorization", session).body()).getString("secret");
        HttpResponse<String> retry = gw.post("/v1/keys/" + id + "/rotate", "{\"grace_seconds\":3600}",
                "Authorization", session);
        assertEquals(200, retry.statusCode(), retry.body());
        String received = new JsonObject(retry.body()).getString("secret");
        for (String secret : new String[] {original, lost, received}) {
            assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret).statusCode());
        }

        String fourth = new JsonObject(gw.post("/v1/keys/" + id + "/rotate", "{\"grace_seconds\":3600}",
                "Authorization", session).body()).getString("secret");
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", original), 401, -2003);
        for (String secret : new String[] {lost, received, fourth}) {
            assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret).statusCode(),
                    "at most two earlier secrets");
        }
        String only = new JsonObject(gw.post("/v1/keys/" + id + "/rotate", "{\"grace_seconds\":0}",
                "Authorization", session).body()).getString("secret");
        for (String secret : new String[] {lost, received, fourth}) {
            assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", secret), 401, -2003);
        }
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", only).statusCode());
    }

    /**
     * A field the contract does not name is refused, not ignored: a misspelled allow-list ("allowed_ips") or
     * expiry ignored made a key that any address could use for ever, while its owner believed otherwise.
     */
    @Test
    void aFieldTheContractDoesNotNameIsRefusedNotIgnored() throws Exception {
        String session = "Bearer " + token;
        HttpResponse<String> misspelled = gw.post("/v1/keys",
                "{\"scopes\":[\"market:read\"],\"allowed_ips\":[\"203.0.113.7/32\"]}", "Authorization", session);
        assertError(misspelled, 400, -1002);
        assertTrue(new JsonObject(misspelled.body()).getString("error").startsWith("unknown field 'allowed_ips'; allowed: "
                + "allowed_cidrs, expires_at, label, plan, public_key, scopes, type"), misspelled.body());
        assertEquals(0, new JsonObject(gw.get("/v1/keys", "Authorization", session).body()).getJsonArray("keys").size(),
                "no key was made");
        assertError(gw.post("/v1/keys", "{\"expires\":\"2030-01-01T00:00:00Z\"}", "Authorization", session), 400, -1002);

        String id = secretKey(new JsonObject()).getString("key_id");
        assertError(gw.post("/v1/keys/" + id + "/rotate", "{\"grace\":60}", "Authorization", session), 400, -1002);
        assertError(gw.post("/v1/developers", "{\"email\":\"eve@example.com\",\"password\":\"long enough pw\","
                + "\"name\":\"Eve\",\"plan\":\"pro\"}"), 400, -1002);
        assertError(gw.post("/v1/sessions", "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\","
                + "\"ttl\":999999}"), 400, -1002);
        assertError(gw.put("/v1/admin/keys/" + id + "/plan", "{\"plan\":\"pro\",\"status\":\"active\"}",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN), 400, -1002);
    }

    /** The gateway's own endpoints, as its services: a query parameter not taken, or given twice, is refused. */
    @Test
    void aQueryParameterTheEndpointDoesNotTakeIsRefusedNotIgnored() throws Exception {
        String session = "Bearer " + token;
        HttpResponse<String> misspelled = gw.get("/v1/usage?keyid=otk_x", "Authorization", session);
        assertError(misspelled, 400, -1002);
        assertEquals("unknown query parameter 'keyid'; allowed: key_id, from, to, limit, cursor",
                new JsonObject(misspelled.body()).getString("error"));
        assertError(gw.get("/v1/usage?from=2026-01-01T00:00:00Z&from=2026-01-02T00:00:00Z", "Authorization", session),
                400, -1002);
        assertError(gw.get("/v1/keys?status=active", "Authorization", session), 400, -1002);
        assertError(gw.post("/v1/keys?plan=partner", "{}", "Authorization", session), 400, -1002);
        assertEquals(0, new JsonObject(gw.get("/v1/keys", "Authorization", session).body()).getJsonArray("keys").size(),
                "no key was made");
        assertError(gw.post("/v1/sessions?ttl=999999", "{\"email\":\"ada@example.com\",\"password\":\"correct horse"
                + " battery\"}"), 400, -1002);
        assertError(gw.get("/v1/admin/developers?offset=5", "X-Admin-Token", TestGateway.ADMIN_TOKEN), 400, -1002);
        assertEquals(200, gw.get("/v1/usage?key_id=" + secretKey(new JsonObject()).getString("key_id"),
                "Authorization", session).statusCode());
        assertEquals(200, gw.get("/v1/limits", "Authorization", session).statusCode());
    }

    @Test
    void planKeyQuotaIsEnforcedWith2018() throws Exception {
        for (int i = 0; i < 5; i++) {
            secretKey(new JsonObject());
        }
        assertError(gw.post("/v1/keys", "{}", "Authorization", "Bearer " + token), 409, -2018);
    }

    @Test
    void rotationKeepsTheOldSecretForTheGracePeriodOnly() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        String id = key.getString("key_id");
        HttpResponse<String> rot = gw.post("/v1/keys/" + id + "/rotate", "{\"grace_seconds\":3600}",
                "Authorization", "Bearer " + token);
        assertEquals(200, rot.statusCode(), rot.body());
        JsonObject rotated = new JsonObject(rot.body());
        assertNotNull(rotated.getString("previous_secret_valid_until"));
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", key.getString("secret")).statusCode());
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", rotated.getString("secret")).statusCode());

        JsonObject again = new JsonObject(gw.post("/v1/keys/" + id + "/rotate", "{\"grace_seconds\":0}",
                "Authorization", "Bearer " + token).body());
        assertError(gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", rotated.getString("secret")), 401, -2003);
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", again.getString("secret")).statusCode());
    }

    @Test
    void keyListingNeverShowsSecretsOrHashes() throws Exception {
        JsonObject key = secretKey(new JsonObject());
        String listing = gw.get("/v1/keys", "Authorization", "Bearer " + token).body();
        assertFalse(listing.contains(key.getString("secret")));
        assertFalse(listing.contains("\"secret\":"), listing);
        assertFalse(listing.contains(org.opentrade.gateway.domain.ApiSecrets.hash(key.getString("secret"))));
    }

    /** Signs a request as the contract's {@code Ed25519Signature} scheme says. */
    private static String signRequest(KeyPair pair, String ts, String method, String pathWithQuery, String body)
            throws Exception {
        String bodyHash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        return sign(pair, ts + "\n" + method + "\n" + pathWithQuery + "\n" + bodyHash);
    }

    private static String sign(KeyPair pair, String message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
