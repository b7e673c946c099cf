package org.opentrade.launcher.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's root from wherever Maven runs a test (the module's directory, usually). */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    /**
     * The first directory upwards from the working directory that holds {@code .git} (a directory, or a
     * file in a git worktree) or the root {@code pom.xml}, the one listing {@code <module>launcher</module>};
     * the system property {@code opentrade.repo} overrides.
     */
    static Path find() {
        String configured = System.getProperty("opentrade.repo");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git")) || isRootPom(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (.git, or the pom.xml with <module>launcher</module>) above "
                + start + "; set -Dopentrade.repo=<repository root>");
    }

    private static boolean isRootPom(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            return Files.readString(pom).contains("<module>launcher</module>");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom, e);
        }
    }
}
