package org.opentrade.common.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The {@code text} log format: one line per record in {@link java.util.logging.SimpleFormatter}'s
 * pattern ({@code java.util.logging.SimpleFormatter.format}, same six arguments), with what a caller may
 * have put in the record made harmless. Messages carry client input (a FIX message for an unknown
 * session, a name, a path), and written as they come a line break in it starts a line that reads as
 * a record of its own, and escape sequences rewrite the terminal showing the log. So:
 * <ul>
 *   <li>in the message, line breaks, other control characters and the bidirectional-text controls
 *   are written as {@code \n}, {@code \r}, or a backslash, {@code u} and four hex digits (e.g.
 *   {@code \}{@code u001b}); a tab stays;</li>
 *   <li>a stack trace keeps its lines, each starting with a tab, so the first line of a record is the
 *   only one that starts at the left margin (with its time), whatever an exception's message holds.</li>
 * </ul>
 */
public final class TextLogFormatter extends Formatter {
    static final String PATTERN_PROPERTY = "java.util.logging.SimpleFormatter.format";
    private final String pattern;

    /** With the pattern of {@code java.util.logging.SimpleFormatter.format}, else {@code fallback}. */
    public TextLogFormatter(String fallback) {
        this.pattern = System.getProperty(PATTERN_PROPERTY, fallback);
    }

    @Override
    public String format(LogRecord r) {
        ZonedDateTime time = ZonedDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault());
        String source = r.getSourceClassName() == null ? r.getLoggerName()
                : r.getSourceMethodName() == null ? r.getSourceClassName()
                : r.getSourceClassName() + " " + r.getSourceMethodName();
        String thrown = "";
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            thrown = indented(trace.toString());
        }
        return String.format(pattern, time, source, r.getLoggerName(), r.getLevel().getLocalizedName(),
                escaped(formatMessage(r)), thrown);
    }

    /** {@code s} on one line: line breaks and other controls escaped (see the class comment). */
    public static String escaped(String s) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** Each line of a stack trace after a line break and a tab, its controls escaped. */
    private static String indented(String trace) {
        StringBuilder b = new StringBuilder(trace.length() + 64);
        for (String line : trace.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            b.append(System.lineSeparator()).append('\t').append(escaped(line.startsWith("\t") ? line.substring(1) : line));
        }
        return b.toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }
}
