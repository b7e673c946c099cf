package org.opentrade.common.identity;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The payload encoding of {@link IdentityAssertions} (version 1). Decoding is strict: any byte out
 * of place, a non-canonical scope order, invalid UTF-8 or trailing bytes make the payload
 * malformed, so one identity has exactly one encoding. Stateless; thread-safe.
 */
final class AssertionCodec {
    static final byte[] MAGIC = {'O', 'T', 'A'};
    static final byte VERSION = 1;

    private AssertionCodec() {
    }

    /** What a payload says. */
    record Decoded(byte[] kid, String audience, CallerIdentity identity) {
    }

    /** Thrown by {@link #decode} with the failure to report. */
    static final class Invalid extends Exception {
        final Verification.Failure failure;

        Invalid(Verification.Failure failure) {
            super(failure.name(), null, false, false); // no stack trace: bad input is routine
            this.failure = failure;
        }
    }

    static byte[] encode(CallerIdentity id, String audience, byte[] kid) {
        if (id.scopes().size() > IdentityAssertions.MAX_SCOPES) {
            throw new IllegalArgumentException("at most " + IdentityAssertions.MAX_SCOPES + " scopes, got "
                    + id.scopes().size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.writeBytes(kid);
        writeLong(out, id.issuedAtMs());
        writeLong(out, id.expiresAtMs());
        writeString(out, requireNonEmpty(audience, "audience"));
        writeString(out, id.developerId());
        writeOptional(out, id.keyId());
        List<byte[]> scopes = new ArrayList<>();
        for (String s : id.scopes()) {
            scopes.add(utf8(s, "scope"));
        }
        scopes.sort(Arrays::compareUnsigned);
        out.write(scopes.size());
        for (byte[] s : scopes) {
            writeBytes(out, s);
        }
        writeString(out, id.plan());
        writeOptional(out, id.traceId());
        return out.toByteArray();
    }

    static Decoded decode(byte[] payload) throws Invalid {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            for (byte m : MAGIC) {
                if (in.get() != m) {
                    throw new Invalid(Verification.Failure.MALFORMED);
                }
            }
            if (in.get() != VERSION) {
                throw new Invalid(Verification.Failure.UNSUPPORTED_VERSION);
            }
            byte[] kid = new byte[IdentityAssertions.KID_BYTES];
            in.get(kid);
            long issuedAt = in.getLong();
            long expiresAt = in.getLong();
            String audience = readString(in);
            String developer = readString(in);
            String keyId = readOptional(in);
            int count = in.get() & 0xff;
            if (count > IdentityAssertions.MAX_SCOPES) {
                throw new Invalid(Verification.Failure.MALFORMED);
            }
            Set<String> scopes = new LinkedHashSet<>();
            byte[] previous = null;
            for (int i = 0; i < count; i++) {
                byte[] s = readBytes(in);
                if (previous != null && Arrays.compareUnsigned(previous, s) >= 0) {
                    throw new Invalid(Verification.Failure.MALFORMED); // unsorted or repeated
                }
                scopes.add(string(s));
                previous = s;
            }
            String plan = readString(in);
            String traceId = readOptional(in);
            if (in.hasRemaining() || audience.isEmpty() || developer.isEmpty() || expiresAt <= issuedAt) {
                throw new Invalid(Verification.Failure.MALFORMED);
            }
            return new Decoded(kid, audience, new CallerIdentity(developer, keyId, scopes, plan, traceId, issuedAt,
                    expiresAt));
        } catch (BufferUnderflowException e) {
            throw new Invalid(Verification.Failure.MALFORMED);
        }
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        writeBytes(out, utf8(s, "field"));
    }

    private static void writeOptional(ByteArrayOutputStream out, String s) {
        if (s == null) {
            out.write(0);
        } else {
            out.write(1);
            writeString(out, s);
        }
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        out.write(b.length >>> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    private static byte[] utf8(String s, String what) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > IdentityAssertions.MAX_FIELD_BYTES) {
            throw new IllegalArgumentException(what + " longer than " + IdentityAssertions.MAX_FIELD_BYTES
                    + " UTF-8 bytes");
        }
        return b;
    }

    private static String requireNonEmpty(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }

    private static String readString(ByteBuffer in) throws Invalid {
        return string(readBytes(in));
    }

    private static String readOptional(ByteBuffer in) throws Invalid {
        byte flag = in.get();
        if (flag == 0) {
            return null;
        }
        if (flag != 1) {
            throw new Invalid(Verification.Failure.MALFORMED);
        }
        return readString(in);
    }

    private static byte[] readBytes(ByteBuffer in) throws Invalid {
        int length = in.getShort() & 0xffff;
        if (length > IdentityAssertions.MAX_FIELD_BYTES || length > in.remaining()) {
            throw new Invalid(Verification.Failure.MALFORMED);
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    /** Strict UTF-8: malformed or overlong sequences are refused, not replaced. */
    private static String string(byte[] b) throws Invalid {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(Verification.Failure.MALFORMED);
        }
    }
}
