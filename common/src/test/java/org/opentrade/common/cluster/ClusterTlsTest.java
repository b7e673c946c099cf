package org.opentrade.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;

/**
 * The {@code cluster.tls} section: its keys and environment variables, and every way a store file
 * can be unusable, each stopping start-up with a message that names the key. Certificates are made
 * by openssl for the test (see {@link TestPki}).
 */
class ClusterTlsTest {
    private static final String YAML = """
            cluster:
              name: ot
              tls:
                enabled: ${OPENTRADE_CLUSTER_TLS:false}
                key_store: ${OPENTRADE_CLUSTER_TLS_KEY_STORE:}
                key_store_password_file: ${OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE:}
                trust_store: ${OPENTRADE_CLUSTER_TLS_TRUST_STORE:}
                trust_store_password_file: ${OPENTRADE_CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE:}
            """;

    @TempDir
    static Path dir;
    private static TestPki ca;
    private static TestPki otherCa;
    private static Path password;
    private static Path memberStore;
    private static Path trustStore;

    @BeforeAll
    static void makeCertificates() throws IOException {
        ca = TestPki.create(dir.resolve("ca"), "test cluster CA");
        otherCa = TestPki.create(dir.resolve("other-ca"), "another CA");
        password = TestPki.passwordFile(dir.resolve("password"), "s3cret-pass");
        memberStore = ca.issue("alpha", password);
        trustStore = ca.trustStore(password);
    }

    private static ClusterConfig read(Map<String, String> env) {
        return ClusterConfig.fromConfig(ConfigLoader.of(env, Map.of()).fromText(YAML, "test.yaml").section("cluster"));
    }

    private static Map<String, String> enabled(Path keyStore, Path keyPassword, Path trust) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_CLUSTER_TLS", "true");
        env.put("OPENTRADE_CLUSTER_TLS_KEY_STORE", keyStore.toString());
        env.put("OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE", keyPassword.toString());
        env.put("OPENTRADE_CLUSTER_TLS_TRUST_STORE", trust.toString());
        return env;
    }

    @Test
    void offByDefaultWithoutLookingAtAnyFile() {
        Map<String, String> env = Map.of("OPENTRADE_CLUSTER_TLS_KEY_STORE", "/nonexistent/member.p12");
        ClusterConfig c = read(env);
        assertSame(ClusterTls.OFF, c.tls());
        assertFalse(c.tls().enabled());
        EventBusOptions bus = ClusteredVertx.withEventBus(new VertxOptions(), c).getEventBusOptions();
        assertFalse(bus.isSsl());
        assertEquals(ClientAuth.NONE, bus.getClientAuth());
    }

    @Test
    void enabledSetsMutualTlsOnBothEndsOfTheEventBus() {
        ClusterConfig c = read(enabled(memberStore, password, trustStore));
        assertTrue(c.tls().enabled());
        assertEquals("CN=alpha", c.tls().certificate().getSubjectX500Principal().getName());
        EventBusOptions bus = ClusteredVertx.withEventBus(new VertxOptions(), c).getEventBusOptions();
        assertTrue(bus.isSsl());
        assertEquals(ClientAuth.REQUIRED, bus.getClientAuth());
        assertFalse(bus.isTrustAll());
        assertEquals(Set.of("TLSv1.3"), bus.getEnabledSecureTransportProtocols());
        assertTrue(bus.getKeyCertOptions() instanceof PfxOptions);
        assertTrue(bus.getTrustOptions() instanceof PfxOptions);
        // Vert.x builds the event bus's server and client from the options' JSON form: the key, the
        // trust and client auth must survive it, or one side would run without them.
        NetServerOptions server = new NetServerOptions(bus.toJson());
        assertTrue(server.isSsl());
        assertEquals(ClientAuth.REQUIRED, server.getClientAuth());
        assertTrue(server.getKeyCertOptions() instanceof PfxOptions);
        assertTrue(server.getTrustOptions() instanceof PfxOptions);
        NetClientOptions client = new NetClientOptions(bus.toJson());
        assertTrue(client.isSsl());
        assertFalse(client.isTrustAll());
        assertTrue(client.getKeyCertOptions() instanceof PfxOptions, "the client presents the member certificate");
        assertTrue(client.getTrustOptions() instanceof PfxOptions, "the client checks the server's certificate");
        assertFalse(c.toString().contains("s3cret-pass"), c.toString());
        assertTrue(c.toString().contains("CN=alpha"), c.toString());
    }

    @Test
    void aPemFileOfTheCaIsATrustStoreToo() {
        ClusterConfig c = read(enabled(memberStore, password, ca.caPem()));
        EventBusOptions bus = ClusteredVertx.withEventBus(new VertxOptions(), c).getEventBusOptions();
        assertTrue(bus.getTrustOptions() instanceof PemTrustOptions);
    }

    @Test
    void theTrustStoreMayHaveAPasswordOfItsOwn() throws IOException {
        Path own = TestPki.passwordFile(dir.resolve("trust-password"), "another-pass");
        Path store = TestPki.create(dir.resolve("ca-copy"), "unused").trustStore(own);
        Map<String, String> env = enabled(memberStore, password, store);
        env.put("OPENTRADE_CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE", own.toString());
        // Opens with its own password, and then refuses: alpha is not issued by that CA.
        assertMessage("config key 'cluster.tls.key_store': the certificate 'CN=alpha'", env);
        env.remove("OPENTRADE_CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE");
        assertMessage("config key 'cluster.tls.trust_store': '" + store + "' cannot be opened as PKCS#12 with the password"
                + " in cluster.tls.key_store_password_file", env);
    }

    @Test
    void missingSettingsNameTheirKey() {
        Map<String, String> env = new HashMap<>(Map.of("OPENTRADE_CLUSTER_TLS", "true"));
        assertMessage("config key 'cluster.tls.key_store': required when cluster.tls.enabled is true", env);
        env.put("OPENTRADE_CLUSTER_TLS_KEY_STORE", memberStore.toString());
        assertMessage("config key 'cluster.tls.key_store_password_file': required", env);
        env.put("OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE", password.toString());
        assertMessage("config key 'cluster.tls.trust_store': required", env);
    }

    @Test
    void unreadableFilesNameTheirKey() throws IOException {
        Path missing = dir.resolve("missing.p12");
        assertMessage("config key 'cluster.tls.key_store': '" + missing + "' is not a file",
                enabled(missing, password, trustStore));
        assertMessage("config key 'cluster.tls.key_store_password_file': '" + missing + "' is not a file",
                enabled(memberStore, missing, trustStore));
        assertMessage("config key 'cluster.tls.trust_store': '" + missing + "' is not a file",
                enabled(memberStore, password, missing));
        Path empty = Files.writeString(dir.resolve("empty-password"), "\n");
        assertMessage("config key 'cluster.tls.key_store_password_file': '" + empty + "' holds no password",
                enabled(memberStore, empty, trustStore));
        Path wrong = TestPki.passwordFile(dir.resolve("wrong-password"), "not-it");
        assertMessage("config key 'cluster.tls.key_store': '" + memberStore + "' cannot be opened as PKCS#12 with the"
                + " password in cluster.tls.key_store_password_file", enabled(memberStore, wrong, trustStore));
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a key store");
        assertMessage("config key 'cluster.tls.key_store': '" + garbage + "' cannot be opened as PKCS#12",
                enabled(garbage, password, trustStore));
        Path badPem = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertMessage("config key 'cluster.tls.trust_store': '" + badPem + "' is not a readable PEM file",
                enabled(memberStore, password, badPem));
    }

    @Test
    void aTrustStoreWithoutTrustedEntriesIsRefused() throws IOException {
        // openssl's PKCS#12 export of a bare certificate lacks the attribute Java reads as "trusted".
        Path store = ca.openSslCertificateOnlyStore(password);
        assertMessage("config key 'cluster.tls.trust_store': '" + store + "' holds no trusted certificate",
                enabled(memberStore, password, store));
    }

    @Test
    void aTrustStoreIsNotAMemberKeyStore() {
        assertMessage("config key 'cluster.tls.key_store': '" + trustStore + "' must hold exactly one private key",
                enabled(trustStore, password, trustStore));
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAtStartUp() throws IOException {
        Path foreign = otherCa.issue("intruder", password);
        assertMessage("config key 'cluster.tls.key_store': the certificate 'CN=intruder' in '" + foreign
                + "' is not issued by a CA in cluster.tls.trust_store", enabled(foreign, password, trustStore));
    }

    @Test
    void aCertificateForOneEndOfAConnectionOnlyIsRefused() throws IOException {
        Path serverOnly = ca.issue("server-only", password, TestPki.MEMBER_EXTENSIONS.replace("serverAuth,clientAuth",
                "serverAuth"));
        assertMessage("must allow both TLS server and client authentication", enabled(serverOnly, password, trustStore));
    }

    @Test
    void theProgrammaticFormMatchesTheConfigSection() {
        ClusterTls tls = ClusterTls.load(memberStore, password, ca.caPem(), null);
        ClusterConfig c = new ClusterConfig("ot", List.of("127.0.0.1"), "127.0.0.1", null, 5701, true,
                Duration.ofSeconds(15), 0).withTls(tls);
        assertSame(tls, c.tls());
        assertTrue(ClusteredVertx.withEventBus(new VertxOptions(), c).getEventBusOptions().isSsl());
    }

    private static void assertMessage(String expected, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(env));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
