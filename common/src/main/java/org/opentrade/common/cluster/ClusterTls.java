package org.opentrade.common.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;

/**
 * Mutual TLS on the clustered event bus (the {@code cluster.tls} section): every event-bus
 * connection between two members is TLS 1.3, and each side proves it holds a certificate issued by
 * the cluster's CA. The same certificate serves both directions, because every member is a server
 * (it accepts connections to its own handlers) and a client (it connects to the others').
 *
 * <p>What it proves: a process without a certificate from the cluster CA can join Hazelcast (which
 * open-source Hazelcast does not authenticate, see the package documentation) but can neither
 * deliver a message to a handler on a certified member nor receive one from it: a certified member
 * refuses its connection (no client certificate) and refuses to connect to it (its server
 * certificate does not chain to the CA). Host names are not checked (Vert.x's event-bus client turns
 * host-name verification off), so membership is exactly "holds a key whose certificate the cluster
 * CA signed": issue such certificates to cluster members only.
 *
 * <p>Immutable. Built once at start-up by {@link #fromConfig} or {@link #load}, which read and check
 * every file (stores open with their passwords, one private key, the member's own certificate valid
 * now, usable for TLS client and server, and issued by a CA of the trust store), so a bad file stops
 * start-up with a message naming its key instead of failing on the first connection. The store bytes
 * read then are what the event bus uses. Passwords are never in {@link #toString()}.
 */
public final class ClusterTls {
    /** Event-bus TLS off: the default, and the only mode of the all-in-one (its bus is local). */
    public static final ClusterTls OFF = new ClusterTls(null, null, null, null, null);
    /** The only protocol offered: every member runs this code on Java 17, so no older one is needed. */
    public static final String PROTOCOL = "TLSv1.3";

    private static final String SECTION = "cluster.tls.";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final KeyCertOptions keyCert;
    private final TrustOptions trust;
    private final X509Certificate member;
    private final Path keyStore;
    private final Path trustStore;

    private ClusterTls(KeyCertOptions keyCert, TrustOptions trust, X509Certificate member, Path keyStore,
                       Path trustStore) {
        this.keyCert = keyCert;
        this.trust = trust;
        this.member = member;
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    /**
     * Reads a {@code tls:} section: {@code enabled} (false by default), {@code key_store} (PKCS#12:
     * this member's private key and certificate chain), {@code key_store_password_file},
     * {@code trust_store} (PKCS#12 with the cluster CA's certificate, or a PEM file of CA
     * certificates) and {@code trust_store_password_file} (PKCS#12 only; empty: the key store's).
     * Every key is read even when disabled (so a misspelt one still fails); the files are checked
     * only when enabled. A problem throws a {@link ConfigException} naming the key.
     */
    public static ClusterTls fromConfig(Config section) {
        boolean enabled = section.bool("enabled", false);
        Path keyStore = section.path("key_store", null);
        Path keyPassword = section.path("key_store_password_file", null);
        Path trustStore = section.path("trust_store", null);
        Path trustPassword = section.path("trust_store_password_file", null);
        if (!enabled) {
            return OFF;
        }
        try {
            return load(keyStore, keyPassword, trustStore, trustPassword);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + " (" + section.origin() + ")", e.getCause());
        }
    }

    /**
     * Loads and checks the stores (see {@link #fromConfig}); {@code trustStorePasswordFile} may be
     * null (the key store's password, or none for PEM). Messages name the {@code cluster.tls} keys.
     */
    public static ClusterTls load(Path keyStore, Path keyStorePasswordFile, Path trustStore, Path trustStorePasswordFile) {
        require(keyStore, "key_store", "the PKCS#12 file with this member's key and certificate");
        require(keyStorePasswordFile, "key_store_password_file", "a file holding the key store's password");
        require(trustStore, "trust_store", "the PKCS#12 or PEM file with the cluster CA's certificate");
        String keyPassword = password(keyStorePasswordFile, "key_store_password_file");
        byte[] keyBytes = read(keyStore, "key_store");
        KeyStore keys = pkcs12(keyBytes, keyPassword, keyStore, "key_store", "key_store_password_file");
        X509Certificate[] chain = memberChain(keys, keyStore);

        byte[] trustBytes = read(trustStore, "trust_store");
        TrustOptions trust;
        Set<TrustAnchor> anchors;
        if (isPem(trustBytes)) {
            List<X509Certificate> cas = pemCertificates(trustBytes, trustStore);
            anchors = anchors(cas);
            PemTrustOptions pem = new PemTrustOptions();
            pem.addCertValue(Buffer.buffer(trustBytes));
            trust = pem;
        } else {
            String trustPassword = trustStorePasswordFile == null ? keyPassword
                    : password(trustStorePasswordFile, "trust_store_password_file");
            String passwordKey = trustStorePasswordFile == null ? "key_store_password_file" : "trust_store_password_file";
            KeyStore store = pkcs12(trustBytes, trustPassword, trustStore, "trust_store", passwordKey);
            anchors = anchors(trustedCertificates(store, trustStore));
            trust = new PfxOptions().setValue(Buffer.buffer(trustBytes)).setPassword(trustPassword);
        }
        checkIssued(chain, anchors, keyStore, trustStore);
        KeyCertOptions keyCert = new PfxOptions().setValue(Buffer.buffer(keyBytes)).setPassword(keyPassword);
        return new ClusterTls(keyCert, trust, chain[0], keyStore, trustStore);
    }

    public boolean enabled() {
        return keyCert != null;
    }

    /** This member's certificate; null when disabled. */
    public X509Certificate certificate() {
        return member;
    }

    /**
     * Sets {@code eventBus} for mutual TLS, or leaves it as it is when disabled. Vert.x derives both
     * the event-bus server (which requires and checks the client's certificate) and its client
     * (which presents this member's certificate and checks the server's against the same trust
     * store) from these options.
     */
    public EventBusOptions applyTo(EventBusOptions eventBus) {
        if (!enabled()) {
            return eventBus;
        }
        eventBus.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
                .setKeyCertOptions(keyCert.copy()).setTrustOptions(trust.copy());
        eventBus.setEnabledSecureTransportProtocols(new HashSet<>(Set.of(PROTOCOL)));
        return eventBus;
    }

    /** For start-up log lines: on or off, whose certificate, which files. Never a password. */
    @Override
    public String toString() {
        if (!enabled()) {
            return "event-bus TLS off";
        }
        return "event-bus mutual TLS as '" + member.getSubjectX500Principal().getName() + "' (issuer '"
                + member.getIssuerX500Principal().getName() + "', key store " + keyStore + ", trust store " + trustStore + ")";
    }

    // ----- checks; each failure names its key -----

    private static void require(Path file, String key, String what) {
        if (file == null) {
            throw fail(key, "required when " + SECTION + "enabled is true: " + what);
        }
    }

    private static byte[] read(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            throw fail(key, "'" + file + "' is not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw fail(key, "'" + file + "' cannot be read: " + e.getMessage());
        }
    }

    /** The file's first line (a password file may end with a newline); empty is refused. */
    private static String password(Path file, String key) {
        String text = new String(read(file, key), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String first = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
        if (first.isEmpty()) {
            throw fail(key, "'" + file + "' holds no password (its first line is empty)");
        }
        return first;
    }

    private static KeyStore pkcs12(byte[] bytes, String password, Path file, String key, String passwordKey) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw fail(key, "'" + file + "' cannot be opened as PKCS#12 with the password in " + SECTION + passwordKey
                    + " (" + e.getMessage() + ")");
        }
    }

    private static X509Certificate[] memberChain(KeyStore keys, Path file) {
        List<String> withKey = new ArrayList<>();
        try {
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.isKeyEntry(alias)) {
                    withKey.add(alias);
                }
            }
            if (withKey.size() != 1) {
                throw fail("key_store", "'" + file + "' must hold exactly one private key with its certificate, found "
                        + withKey.size());
            }
            Certificate[] chain = keys.getCertificateChain(withKey.get(0));
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
                throw fail("key_store", "'" + file + "': the private key has no X.509 certificate");
            }
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                x509[i] = (X509Certificate) chain[i];
            }
            checkUsableForTls(x509[0], file);
            return x509;
        } catch (GeneralSecurityException e) {
            throw fail("key_store", "'" + file + "' cannot be read: " + e.getMessage());
        }
    }

    private static void checkUsableForTls(X509Certificate cert, Path file) {
        String subject = cert.getSubjectX500Principal().getName();
        try {
            cert.checkValidity();
        } catch (CertificateException e) {
            throw fail("key_store", "the certificate '" + subject + "' in '" + file + "' is not valid now (valid "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")");
        }
        List<String> usages;
        try {
            usages = cert.getExtendedKeyUsage();
        } catch (CertificateException e) {
            throw fail("key_store", "the certificate '" + subject + "' in '" + file + "' has an unreadable extended key usage");
        }
        // No extension: any use. With one, both ends of a connection are needed: every member is a
        // TLS server for the others and a client of theirs.
        if (usages != null && !(usages.contains(SERVER_AUTH) && usages.contains(CLIENT_AUTH))) {
            throw fail("key_store", "the certificate '" + subject + "' in '" + file + "' must allow both TLS server and"
                    + " client authentication (extendedKeyUsage serverAuth, clientAuth)");
        }
    }

    private static boolean isPem(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).stripLeading();
        return head.startsWith("-----BEGIN");
    }

    private static List<X509Certificate> pemCertificates(byte[] bytes, Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw fail("trust_store", "'" + file + "' is not a readable PEM file of certificates (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw fail("trust_store", "'" + file + "' holds no certificate");
        }
        return out;
    }

    private static List<X509Certificate> trustedCertificates(KeyStore store, Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (GeneralSecurityException e) {
            throw fail("trust_store", "'" + file + "' cannot be read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw fail("trust_store", "'" + file + "' holds no trusted certificate (a PKCS#12 trust store needs"
                    + " certificate entries, as keytool -importcert makes them; or give a PEM file)");
        }
        return out;
    }

    private static Set<TrustAnchor> anchors(List<X509Certificate> cas) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : cas) {
            anchors.add(new TrustAnchor(ca, null));
        }
        return anchors;
    }

    /** This member's own chain must validate against the trust store, or it could talk to no one. */
    private static void checkIssued(X509Certificate[] chain, Set<TrustAnchor> anchors, Path keyStore, Path trustStore) {
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!isAnchor(c, anchors)) {
                path.add(c);
            }
        }
        String subject = chain[0].getSubjectX500Principal().getName();
        if (path.isEmpty()) {
            throw fail("key_store", "the certificate '" + subject + "' in '" + keyStore + "' is itself a trusted CA"
                    + " certificate; a member needs a certificate issued by the cluster CA");
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            // Revocation lists are not configured: membership ends by replacing the cluster CA.
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            throw fail("key_store", "the certificate '" + subject + "' in '" + keyStore + "' is not issued by a CA in "
                    + SECTION + "trust_store '" + trustStore + "' (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw fail("key_store", "the certificate chain in '" + keyStore + "' cannot be checked: " + e.getMessage());
        }
    }

    private static boolean isAnchor(X509Certificate c, Set<TrustAnchor> anchors) {
        for (TrustAnchor a : anchors) {
            if (a.getTrustedCert().equals(c)) {
                return true;
            }
        }
        return false;
    }

    private static ConfigException fail(String key, String problem) {
        return new ConfigException("config key '" + SECTION + key + "': " + problem);
    }
}
