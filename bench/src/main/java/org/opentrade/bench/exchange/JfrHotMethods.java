package org.opentrade.bench.exchange;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recorded run spent its time, from a JFR file: per thread group (thread names without their
 * trailing number), for execution samples (Java code running) and native samples (a thread inside a
 * native call, e.g. file I/O) apart, the share of samples of each method on the stack (inclusive: a
 * method counts once per sample it appears in) and at its top (self), busiest first; and the time
 * spent in slow file reads, writes and forces as JFR recorded them (its threshold applies). With the
 * "profile" settings a Java sample stands for 10 ms, a native one for 20 ms.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.opentrade.bench.exchange.JfrHotMethods run.jfr [top]}.
 */
public final class JfrHotMethods {
    private static final int DEFAULT_TOP = 12;

    private final Map<String, Map<String, Integer>> inclusive = new TreeMap<>();
    private final Map<String, Map<String, Integer>> self = new TreeMap<>();
    private final Map<String, Integer> samples = new TreeMap<>();
    private final Map<String, Duration> io = new TreeMap<>();
    private final Map<String, Integer> ioCount = new HashMap<>();

    private JfrHotMethods() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: JfrHotMethods <recording.jfr> [top methods per thread]");
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_TOP;
        JfrHotMethods hot = new JfrHotMethods();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            hot.add(e);
        }
        hot.print(top);
    }

    private void add(RecordedEvent e) {
        String type = e.getEventType().getName();
        switch (type) {
            case "jdk.ExecutionSample" -> sample("java", e);
            case "jdk.NativeMethodSample" -> sample("native", e);
            case "jdk.FileRead", "jdk.FileWrite", "jdk.FileForce" -> {
                String key = group(thread(e)) + " " + type.substring(4);
                io.merge(key, e.getDuration(), Duration::plus);
                ioCount.merge(key, 1, Integer::sum);
            }
            default -> {
            }
        }
    }

    private static RecordedThread thread(RecordedEvent e) {
        return e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread();
    }

    private void sample(String kind, RecordedEvent e) {
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null) {
            return;
        }
        String key = group(thread(e)) + " [" + kind + "]";
        samples.merge(key, 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        List<RecordedFrame> frames = stack.getFrames();
        if (!frames.isEmpty()) {
            self.computeIfAbsent(key, k -> new HashMap<>()).merge(name(frames.get(0)), 1, Integer::sum);
        }
        for (RecordedFrame f : frames) {
            String m = name(f);
            if (seen.add(m)) {
                inclusive.computeIfAbsent(key, k -> new HashMap<>()).merge(m, 1, Integer::sum);
            }
        }
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String group(RecordedThread t) {
        String name = t == null ? "?" : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return name == null ? "?" : name.replaceAll("-\\d+$", "");
    }

    private static void list(Map<String, Integer> counts, int total, int top) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(m -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * m.getValue() / total, m.getKey()));
    }

    private void print(int top) {
        samples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(s -> {
            System.out.printf(Locale.ROOT, "%s: %d samples; inclusive (on the stack)%n", s.getKey(), s.getValue());
            list(inclusive.get(s.getKey()), s.getValue(), top);
            System.out.printf(Locale.ROOT, "  self (top of the stack)%n");
            list(self.get(s.getKey()), s.getValue(), top);
        });
        if (!io.isEmpty()) {
            System.out.println("slow file I/O recorded by JFR (above its threshold):");
            io.forEach((k, d) -> System.out.printf(Locale.ROOT, "  %-50s %5d events, %8.1f ms%n", k, ioCount.get(k),
                    d.toNanos() / 1e6));
        }
    }
}
