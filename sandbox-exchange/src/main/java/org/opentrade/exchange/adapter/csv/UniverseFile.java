package org.opentrade.exchange.adapter.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.opentrade.exchange.domain.InstrumentCatalog;

/**
 * Reads the instrument universe ({@code symbol,name,prev_close}, then optionally {@code float_shares,eps},
 * unknown without them; UTF-8) from a configured file, or the default universe shipped in the module
 * ({@value #DEFAULT_RESOURCE}, about 30 A-shares).
 * Fails fast: a missing or malformed file stops start-up with a message naming it.
 */
public final class UniverseFile {
    /** Classpath location of the default universe. */
    public static final String DEFAULT_RESOURCE = "instruments/a-shares.csv";

    private UniverseFile() {
    }

    /** The configured file, or the default universe when {@code file} is null. */
    public static InstrumentCatalog load(Path file) {
        return file == null ? loadDefault() : loadFile(file);
    }

    public static InstrumentCatalog loadDefault() {
        InputStream in = UniverseFile.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("default universe " + DEFAULT_RESOURCE + " is not on the classpath");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(r, "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + DEFAULT_RESOURCE, e);
        }
    }

    public static InstrumentCatalog loadFile(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("instrument file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read instrument file " + file.toAbsolutePath(), e);
        }
    }

    private static InstrumentCatalog parse(Reader r, String origin) throws IOException {
        try {
            return InstrumentCatalog.parseCsv(r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }
}
