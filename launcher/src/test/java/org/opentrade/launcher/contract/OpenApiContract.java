package org.opentrade.launcher.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of {@code openapi/opentrade.yaml}, each as {@code "METHOD /path/{param}"}: what the
 * route-set test compares with the routers and what the Prism replay checks its coverage against.
 */
public final class OpenApiContract {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final Path file;
    private final Set<String> operations;

    private OpenApiContract(Path file, Set<String> operations) {
        this.file = file;
        this.operations = operations;
    }

    /** The contract of this repository ({@link #repositoryRoot()}{@code /openapi/opentrade.yaml}). */
    public static OpenApiContract load() {
        return load(repositoryRoot().resolve("openapi/opentrade.yaml"));
    }

    public static OpenApiContract load(Path file) {
        try {
            JsonNode paths = new YAMLMapper().readTree(file.toFile()).path("paths");
            Set<String> ops = new TreeSet<>();
            for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
                String path = it.next();
                for (Iterator<String> ms = paths.get(path).fieldNames(); ms.hasNext(); ) {
                    String m = ms.next();
                    if (METHODS.contains(m)) {
                        ops.add(operation(m, path));
                    }
                }
            }
            return new OpenApiContract(file, ops);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + file, e);
        }
    }

    /**
     * The repository's root: the first directory upwards from the working directory (a module's, under
     * Maven) that holds {@code openapi/opentrade.yaml}; the system property {@code opentrade.repo} overrides.
     */
    public static Path repositoryRoot() {
        String configured = System.getProperty("opentrade.repo");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("openapi/opentrade.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no openapi/opentrade.yaml above " + Path.of("").toAbsolutePath()
                + "; set -Dopentrade.repo=<repository root>");
    }

    public Path file() {
        return file;
    }

    /** Every operation, sorted: {@code "GET /v1/keys"}, {@code "DELETE /v1/keys/{key_id}"}, ... */
    public Set<String> operations() {
        return operations;
    }

    /** The operation a concrete request is for, if the contract has one: a literal segment beats a parameter. */
    public Optional<String> operationOf(String method, String concretePath) {
        String best = null;
        int bestLiterals = -1;
        for (String op : operations) {
            int space = op.indexOf(' ');
            if (!op.substring(0, space).equals(method.toUpperCase(Locale.ROOT))) {
                continue;
            }
            int literals = literalMatch(op.substring(space + 1), concretePath);
            if (literals > bestLiterals) {
                best = op;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code "GET /v1/orders/{order_id}"} of a method and a template in either spelling ({@code :order_id}). */
    public static String operation(String method, String template) {
        return method.toUpperCase(Locale.ROOT) + " " + template.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    }

    /** The number of literal segments when {@code path} fits {@code template}, else -1. */
    private static int literalMatch(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return -1;
                }
            } else if (t[i].equals(p[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }
}
