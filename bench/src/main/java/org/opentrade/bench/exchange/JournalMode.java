package org.opentrade.bench.exchange;

/** Journal settings compared side by side: off, on without fsync (survives a process crash), on with fsync. */
public enum JournalMode {
    OFF, NONE, BATCH
}
