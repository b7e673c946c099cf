package org.opentrade.bench.market;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Set;
import org.opentrade.common.identity.AssertionSigner;
import org.opentrade.common.identity.CallerIdentity;
import org.opentrade.common.identity.GatewayKeys;

/**
 * Signs gateway identity assertions ({@code X-OpenTrade-Assertion}) for a benchmark's direct calls to
 * market-api, with the gateway's own key pair file ({@code <gateway data_dir>/identity-ed25519.pem}).
 * The verifier enforces no maximum lifetime (only issued-at and expiry, each with its clock skew), so
 * one assertion with a lifetime covering the run serves every direct request, as the gateway's reused
 * assertion does; the verifier remembers it after the first signature check.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.market.BenchAssertions --key-file data/gateway/identity-ed25519.pem \
 *   [--developer dev_bench] [--key-id otk_bench] [--plan partner] [--ttl-seconds 3600]
 * </pre>
 * prints the token (one line). Thread-safe.
 */
public final class BenchAssertions {
    /** The audience and scope market-api checks ({@code AssertionCallerCheck}). */
    public static final String AUDIENCE = "market-api";
    public static final String SCOPE = "market:read";

    private final AssertionSigner signer;

    public BenchAssertions(KeyPair keys) {
        this.signer = new AssertionSigner(keys);
    }

    /** Loads the gateway's PEM key pair file. */
    public static BenchAssertions fromKeyFile(Path file) throws IOException {
        return new BenchAssertions(GatewayKeys.load(file));
    }

    /** An assertion for market-api (scope market:read), valid from now for {@code ttl}; about 1 ms. */
    public String sign(String developerId, String keyId, String plan, Duration ttl) {
        long now = System.currentTimeMillis();
        return signer.sign(new CallerIdentity(developerId, keyId, Set.of(SCOPE), plan, null, now, now + ttl.toMillis()),
                AUDIENCE);
    }

    public static void main(String[] args) throws IOException {
        Path keyFile = null;
        String developer = "dev_bench";
        String keyId = "otk_bench";
        String plan = "partner";
        long ttl = 3600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key-file" -> keyFile = Path.of(args[++i]);
                case "--developer" -> developer = args[++i];
                case "--key-id" -> keyId = args[++i];
                case "--plan" -> plan = args[++i];
                case "--ttl-seconds" -> ttl = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (keyFile == null) {
            System.err.println("usage: BenchAssertions --key-file PEM [--developer D] [--key-id K] [--plan P]"
                    + " [--ttl-seconds S]");
            System.exit(2);
        }
        System.out.println(fromKeyFile(keyFile).sign(developer, keyId, plan, Duration.ofSeconds(ttl)));
    }
}
