package org.opentrade.bench.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Optional JFR recordings of single measured sections, one file each ({@code <dir>/<name>.jfr}), with
 * JFR's "profile" settings; off unless {@code -Dfeed.jfr.dir} is set. Recording costs a few percent,
 * so a profiled run's figures are not the ones to quote. Read a file with {@link JfrHotMethods}.
 */
final class SectionRecorder {
    /** Runs whose label starts with this are not recorded. */
    static final String WARM_UP = "warm-up";
    private static final Path DIR = System.getProperty("feed.jfr.dir") == null ? null
            : Path.of(System.getProperty("feed.jfr.dir"));

    private final Recording recording;
    private final Path file;

    private SectionRecorder(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /**
     * Starts recording section {@code name} (file-name safe after cleaning) of a run labelled
     * {@code label}; does nothing when recording is off or the label is a warm-up's.
     */
    static SectionRecorder start(String label, String name) {
        if (DIR == null || label.startsWith(WARM_UP)) {
            return new SectionRecorder(null, null);
        }
        name = name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
        try {
            Files.createDirectories(DIR);
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setName(name);
            r.start();
            return new SectionRecorder(r, DIR.resolve(name + ".jfr"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + DIR, e);
        } catch (ParseException e) {
            throw new IllegalStateException("JFR's profile settings are unreadable", e);
        }
    }

    /** Stops and writes the recording. */
    void stop() {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
            recording.dump(file);
            recording.close();
            System.out.println("    recorded " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
