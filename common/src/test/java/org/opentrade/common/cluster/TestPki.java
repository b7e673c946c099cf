package org.opentrade.common.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for tests, made with the same tools and recipe as
 * scripts/run-distributed.sh: openssl for keys and certificates (EC P-256, SAN IP:127.0.0.1,
 * PKCS#12 with the chain) and the JDK's keytool for a PKCS#12 trust store. Each instance is one CA
 * in its own directory.
 */
final class TestPki {
    /** The extensions of a member certificate: one certificate for both ends of a connection. */
    static final String MEMBER_EXTENSIONS = """
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth,clientAuth
            subjectAltName=IP:127.0.0.1
            """;

    private final Path dir;
    private final Path caKey;
    private final Path caCert;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caKey = dir.resolve("ca.key");
        this.caCert = dir.resolve("ca.crt");
    }

    /** A new CA named {@code name} in {@code dir} (created). */
    static TestPki create(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir);
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pki.caKey.toString(), "-out", pki.caCert.toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return pki;
    }

    /** The CA certificate as PEM: usable as a trust store. */
    Path caPem() {
        return caCert;
    }

    /** A PKCS#12 trust store holding the CA certificate as a trusted entry, protected by {@code passwordFile}. */
    Path trustStore(Path passwordFile) throws IOException {
        Path store = dir.resolve("trust.p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(dir, keytool, "-importcert", "-noprompt", "-alias", "cluster-ca", "-file", caCert.toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass:file", passwordFile.toString());
        return store;
    }

    /** A member's PKCS#12 key store (key, certificate, CA certificate) with the usual member extensions. */
    Path issue(String name, Path passwordFile) throws IOException {
        return issue(name, passwordFile, MEMBER_EXTENSIONS);
    }

    /** As {@link #issue(String, Path)} with other certificate extensions (openssl extfile syntax). */
    Path issue(String name, Path passwordFile, String extensions) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        Path store = dir.resolve(name + ".p12");
        Files.writeString(ext, extensions);
        run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-CAserial", dir.resolve("ca.srl").toString(), "-days", "2", "-out", cert.toString(),
                "-extfile", ext.toString());
        run(dir, "openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-certfile",
                caCert.toString(), "-name", name, "-passout", "file:" + passwordFile, "-out", store.toString());
        return store;
    }

    /** A PKCS#12 file of the CA certificate without keytool's trust marker, as plain openssl makes it. */
    Path openSslCertificateOnlyStore(Path passwordFile) throws IOException {
        Path store = dir.resolve("ca-only.p12");
        run(dir, "openssl", "pkcs12", "-export", "-nokeys", "-in", caCert.toString(), "-passout", "file:" + passwordFile,
                "-out", store.toString());
        return store;
    }

    /** Writes {@code password} and a newline to {@code file}, as the run script does. */
    static Path passwordFile(Path file, String password) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static void run(Path dir, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.get(0) + " (scripts/ensure-tools.sh installs openssl): "
                    + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + cmd.get(0), e);
        }
    }
}
