package org.opentrade.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.Ed25519Signatures;

/** The SDK signs exactly as the gateway verifies: checked with the gateway's own verifier. */
class Ed25519CredentialsTest {
    /** The contract's worked example (openapi/README.md): a test key, never used for anything else. */
    private static final String EXAMPLE_PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIBNFIhSua4qh4EPC4IABMRO4DVHXq6Ggb+vyk/dBBrxm";
    private static final String EXAMPLE_PUBLIC_KEY = "MCowBQYDK2VwAyEAtSGJLqrCyQJBsDwac7gkz34lPjSlUEsummia9jLH+fs=";

    @Test
    void signsTheContractsWorkedExampleToTheDocumentedSignature() {
        Ed25519Credentials c = new Ed25519Credentials("k", Ed25519Credentials.privateKeyFromPkcs8(EXAMPLE_PRIVATE_KEY),
                () -> 1735810860123L);
        byte[] body = "{\"symbol\":\"600000.SH\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"qty\":100,\"price\":\"10.50\"}"
                .getBytes(StandardCharsets.UTF_8);
        String toSign = Ed25519Credentials.stringToSign("1735810860123", "POST", "/v1/orders", body);
        assertEquals("1735810860123\nPOST\n/v1/orders\na3953b6fc39bf07df26b0ebc7f13f2cca1d46bb5a0a693e9598a7f8ce3d3faeb", toSign);
        assertEquals("2qyvN5hVnVZDFw6KqhbSv6sVPlwk5WtzmsNJrJVQtVB/5r/fzZ3jvDVs0ce6M5E0IMQIja1pOvdVRa+4ywG6Bg==", c.sign(toSign));
    }

    @Test
    void gatewayVerifiesSignaturesOverNonAsciiBodiesAndRepeatedQueryParameters() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        AtomicLong clock = new AtomicLong(1_800_000_000_000L);
        Ed25519Credentials c = new Ed25519Credentials("key_1", pair.getPrivate(), clock::incrementAndGet);
        PublicKey registered = Ed25519Signatures.parsePublicKey(Ed25519Signatures.encode(pair.getPublic())).orElseThrow();

        byte[] body = "{\"label\":\"均线策略 — café ü\",\"note\":\"\\u00e9 and é\"}".getBytes(StandardCharsets.UTF_8);
        String path = "/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ&symbols=600000.SH&x=%E4%B8%AD";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://h" + path));
        c.apply(b, "POST", path, body);
        HttpRequest signed = b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        String ts = signed.headers().firstValue("X-Timestamp").orElseThrow();
        String sig = signed.headers().firstValue("X-Signature").orElseThrow();

        assertEquals("key_1", signed.headers().firstValue("X-API-Key").orElseThrow());
        assertEquals(Ed25519Signatures.stringToSign(ts, "POST", path, body),
                Ed25519Credentials.stringToSign(ts, "POST", path, body), "one string to sign on both sides");
        assertTrue(Ed25519Signatures.verify(registered, sig, Ed25519Signatures.stringToSign(ts, "POST", path, body)));
        assertEquals(88, sig.length(), "canonical padded base64");
        // Another order of the repeated parameters, or one byte more of body, is another request.
        String reordered = "/v1/market/quotes?symbols=000001.SZ&symbols=600000.SH&symbols=600000.SH&x=%E4%B8%AD";
        assertFalse(Ed25519Signatures.verify(registered, sig, Ed25519Signatures.stringToSign(ts, "POST", reordered, body)));
        byte[] longer = (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertFalse(Ed25519Signatures.verify(registered, sig, Ed25519Signatures.stringToSign(ts, "POST", path, longer)));

        HttpRequest.Builder again = HttpRequest.newBuilder(URI.create("http://h" + path));
        c.apply(again, "POST", path, body);
        assertNotEquals(ts, again.build().headers().firstValue("X-Timestamp").orElseThrow(),
                "every attempt is signed afresh (the gateway takes a signed request once only)");
    }

    @Test
    void twoIdenticalRequestsInOneMillisecondAreSignedWithTwoTimestamps() throws Exception {
        Ed25519Credentials c = new Ed25519Credentials("k", Ed25519Credentials.privateKeyFromPkcs8(EXAMPLE_PRIVATE_KEY),
                () -> 1_800_000_000_000L);
        java.util.List<String> stamps = new java.util.ArrayList<>();
        for (String path : new String[] {"/v1/stream/market", "/v1/stream/market", "/v1/stream/orders",
                "/v1/stream/market"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://h" + path));
            c.apply(b, "GET", path, new byte[0]);
            stamps.add(b.build().headers().firstValue("X-Timestamp").orElseThrow());
        }
        // One signature per message: the gateway's replay guard refused the second stream opened in the same ms.
        assertEquals(java.util.List.of("1800000000000", "1800000000001", "1800000000000", "1800000000002"), stamps);
    }

    @Test
    void refusesKeysThatAreNotEd25519() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> Credentials.ed25519("k", rsa.getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> Credentials.ed25519("k", "not base64 PKCS#8!"));
    }

    @Test
    void examplePublicKeyMatchesThePrivateKey() throws Exception {
        PublicKey pub = Ed25519Signatures.parsePublicKey(EXAMPLE_PUBLIC_KEY).orElseThrow();
        Ed25519Credentials c = new Ed25519Credentials("k", Ed25519Credentials.privateKeyFromPkcs8(EXAMPLE_PRIVATE_KEY),
                () -> 1L);
        assertTrue(Ed25519Signatures.verify(pub, c.sign("hello"), "hello"));
    }
}
