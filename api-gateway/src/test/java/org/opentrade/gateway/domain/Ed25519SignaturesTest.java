package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

/** The signing rule as the contract (openapi/opentrade.yaml, openapi/README.md) states it. */
class Ed25519SignaturesTest {
    private static final PublicKey VECTOR_KEY = Ed25519Signatures
            .parsePublicKey("MCowBQYDK2VwAyEAtSGJLqrCyQJBsDwac7gkz34lPjSlUEsummia9jLH+fs=").orElseThrow();
    private static final byte[] VECTOR_BODY =
            "{\"symbol\":\"600000.SH\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"qty\":100,\"price\":\"10.50\"}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_SIGNATURE =
            "2qyvN5hVnVZDFw6KqhbSv6sVPlwk5WtzmsNJrJVQtVB/5r/fzZ3jvDVs0ce6M5E0IMQIja1pOvdVRa+4ywG6Bg==";

    @Test
    void theContractsTestVectorVerifies() {
        String signed = Ed25519Signatures.stringToSign("1735810860123", "POST", "/v1/orders", VECTOR_BODY);
        assertEquals("1735810860123\nPOST\n/v1/orders\n"
                + "a3953b6fc39bf07df26b0ebc7f13f2cca1d46bb5a0a693e9598a7f8ce3d3faeb", signed);
        assertTrue(Ed25519Signatures.verify(VECTOR_KEY, VECTOR_SIGNATURE, signed));
    }

    @Test
    void onlyTheCanonicalSpellingOfASignatureVerifies() {
        String signed = Ed25519Signatures.stringToSign("1735810860123", "POST", "/v1/orders", VECTOR_BODY);
        String unpadded = VECTOR_SIGNATURE.substring(0, 86);
        assertFalse(Ed25519Signatures.verify(VECTOR_KEY, unpadded, signed));
        assertFalse(Ed25519Signatures.verify(VECTOR_KEY, VECTOR_SIGNATURE.replace('+', '-').replace('/', '_'), signed));
        assertFalse(Ed25519Signatures.verify(VECTOR_KEY, unpadded.substring(0, 85) + "h==", signed)); // 'g' | 1
        assertFalse(Ed25519Signatures.verify(VECTOR_KEY, " " + VECTOR_SIGNATURE.substring(1), signed));
    }

    @Test
    void aRequestWithoutABodySignsTheHashOfNothing() {
        assertEquals(Ed25519Signatures.stringToSign("1", "GET", "/v1/account", new byte[0]),
                Ed25519Signatures.stringToSign("1", "GET", "/v1/account", null));
        assertTrue(Ed25519Signatures.stringToSign("1", "GET", "/v1/account", null)
                .endsWith("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    @Test
    void theReplayRecordNamesTheKeyAndTheSignedMessage() {
        String a = Ed25519Signatures.stringToSign("1", "POST", "/v1/orders", VECTOR_BODY);
        String b = Ed25519Signatures.stringToSign("2", "POST", "/v1/orders", VECTOR_BODY);
        assertEquals(Ed25519Signatures.replayId("otk_1", a), Ed25519Signatures.replayId("otk_1", a));
        assertNotEquals(Ed25519Signatures.replayId("otk_1", a), Ed25519Signatures.replayId("otk_1", b));
        assertNotEquals(Ed25519Signatures.replayId("otk_1", a), Ed25519Signatures.replayId("otk_2", a));
    }

    /** The eight points of small order (RFC 8032 encodings, as libsodium's blocklist lists them), and two
     *  non-canonical spellings (y = p, y = p + 1). */
    private static final String[] WEAK = {
        "0100000000000000000000000000000000000000000000000000000000000000", // identity
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // (0, -1), order 2
        "0000000000000000000000000000000000000000000000000000000000000000", // order 4
        "0000000000000000000000000000000000000000000000000000000000000080", // order 4, other x
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p: 0 spelled again
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1: the identity again
    };

    @Test
    void smallOrderAndNonCanonicalKeysAreRefusedSoNoFixedSignatureVerifiesForThem() throws Exception {
        for (String hex : WEAK) {
            byte[] raw = java.util.HexFormat.of().parseHex(hex);
            String b64 = java.util.Base64.getEncoder().encodeToString(raw);
            assertTrue(Ed25519Signatures.parsePublicKey(b64).isEmpty(), hex);
            byte[] x509 = new byte[44];
            System.arraycopy(java.util.HexFormat.of().parseHex("302a300506032b6570032100"), 0, x509, 0, 12);
            System.arraycopy(raw, 0, x509, 12, 32);
            assertTrue(Ed25519Signatures.parsePublicKey(java.util.Base64.getEncoder().encodeToString(x509)).isEmpty(),
                    "X.509 form of " + hex);
        }
        // Real keys pass, whatever their x's sign.
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
        for (int i = 0; i < 50; i++) {
            PublicKey k = g.generateKeyPair().getPublic();
            assertTrue(Ed25519Signatures.parsePublicKey(java.util.Base64.getEncoder().encodeToString(k.getEncoded()))
                    .isPresent());
        }
    }
}
