package org.opentrade.bench.trade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret API key of the trade benchmark (one per developer, so one per paper account), as
 * {@link TradeBenchSetup} writes them: one {@code key_id secret} line each. Immutable.
 */
public record BenchKey(String keyId, String secret) {
    public BenchKey {
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a key needs an id and a secret");
        }
    }

    /** Reads a keys file; blank lines and {@code #} comments are skipped. */
    public static List<BenchKey> read(Path file) throws IOException {
        List<BenchKey> keys = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length != 2) {
                throw new IOException(file + ": expected 'key_id secret', got '" + l + "'");
            }
            keys.add(new BenchKey(parts[0], parts[1]));
        }
        if (keys.isEmpty()) {
            throw new IOException(file + " holds no key");
        }
        return keys;
    }

    /** The file line. */
    public String line() {
        return keyId + " " + secret;
    }
}
