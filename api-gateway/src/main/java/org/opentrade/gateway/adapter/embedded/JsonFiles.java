package org.opentrade.gateway.adapter.embedded;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Atomic JSON files: written to a private temporary file, forced to disk, renamed over the old one
 * and the directory forced, so a crash leaves the old or the new content, never half of one.
 */
final class JsonFiles {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonFiles() {
    }

    /** Atomic, durable and private: see {@link PrivateFiles#replace}. */
    static void write(Path file, Object value) throws IOException {
        PrivateFiles.replace(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }
}
