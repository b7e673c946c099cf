package org.opentrade.trade.adapter.fix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.opentrade.trade.port.FixSessionOwners;

/**
 * {@link FixSessionOwners} in a file of the data directory (the file store's). Which developer each FIX
 * session name (the initiator's SenderCompID) belongs to: the first developer
 * to log on with a name keeps it, so nobody else can log on under it. A session's store holds its
 * ExecutionReports, those made while it was offline included, and a Logon with ResetSeqNumFlag empties
 * it; any developer with a valid key used to be able to log on under another's name, read that
 * developer's reports by a ResendRequest and the live ones after, and wipe the store. Also bounds the
 * names one developer holds ({@link #MAX_NAMES_PER_DEVELOPER}), as each is a session and store files
 * for good.
 *
 * <p>Durable: an append-only file of {@code name TAB developer} lines, each forced to disk before the
 * Logon that claimed it is answered, so a restart cannot hand a name to someone else. Names are
 * those of {@link #NAME}, so a line cannot be forged.
 * Thread-safe (QuickFIX/J's session threads); claims are rare, so one lock.
 */
public final class SessionOwners implements FixSessionOwners {
    /** A SenderCompID this acceptor takes (no session is made for others: {@link BoundedSessionProvider}). */
    static final Pattern NAME = BoundedSessionProvider.SENDER_COMP_ID;

    private final Path file;
    private final Map<String, String> owners = new HashMap<>();
    private final Map<String, Integer> namesPerDeveloper = new HashMap<>();

    /** Loads {@code file} (none yet: no names held). Blocks; not on the event loop. */
    public SessionOwners(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int complete = text.lastIndexOf('\n') + 1;
            // A torn last line (a crash mid-append) names nobody: its Logon was never answered. It is ended
            // here, so the next claim starts a line of its own.
            for (String line : text.substring(0, complete).split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0 && tab < line.length() - 1 && line.indexOf('\t', tab + 1) < 0
                        && NAME.matcher(line.substring(0, tab)).matches()) {
                    put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
            if (complete < text.length()) {
                Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
            }
        }
    }

    /** Blocks on one forced append for a new name; call on the session's thread. */
    @Override
    public synchronized String claim(String name, String developer) throws IOException {
        if (!NAME.matcher(name).matches()) {
            return "SenderCompID(49) must be 1 to 64 letters, digits, '.', '_' or '-'";
        }
        String owner = owners.get(name);
        if (owner != null) {
            return owner.equals(developer) ? null : FixSessionOwners.takenMessage(name);
        }
        if (namesPerDeveloper.getOrDefault(developer, 0) >= MAX_NAMES_PER_DEVELOPER) {
            return FixSessionOwners.fullMessage();
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer line = ByteBuffer.wrap((name + "\t" + developer + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                out.write(line);
            }
            out.force(true);
        }
        put(name, developer);
        return null;
    }

    @Override
    public synchronized String owner(String name) {
        return owners.get(name);
    }

    @Override
    public synchronized int names(String developer) {
        return namesPerDeveloper.getOrDefault(developer, 0);
    }

    /** Every name and its developer (to carry the file's names over to another store). */
    public synchronized Map<String, String> all() {
        return Map.copyOf(owners);
    }

    private void put(String name, String developer) {
        if (owners.putIfAbsent(name, developer) == null) {
            namesPerDeveloper.merge(developer, 1, Integer::sum);
        }
    }
}
