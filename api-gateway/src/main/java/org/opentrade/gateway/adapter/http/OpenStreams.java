package org.opentrade.gateway.adapter.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyChecks;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.ResolvedKey;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * The WebSocket streams open on this gateway, by key id and by developer id, so that a stream ends
 * when its credential does: on a registry change ({@code key:<id>}, {@code developer:<id>}, or
 * {@link KeyRegistry#EVERYTHING}, which reach every gateway through the change feed) the affected
 * streams' credentials are checked again against the store (not the cache, which the same change may
 * not have dropped yet) and those no longer valid are closed with the reason; a per-stream timer
 * closes a stream when its key or session token expires.
 *
 * <p>A stream opened with a secret ends when that secret does: one opened with (or left on) the
 * previous secret of a rotation is closed when the rotation's grace period ends (-2003), checked when
 * the stream opens and again on every change of its key.
 *
 * <p>Bounded: at most {@code maxStreams} at once (a further upgrade is refused), and at most
 * {@code maxPerDeveloper} of one developer (refused 409 -3004), each removed when its stream ends. Rechecks read the store once per changed key, so {@link KeyRegistry#EVERYTHING}
 * (a change channel reconnect, rare) costs one read per distinct key with an open stream.
 *
 * <p>Also the filter, before authentication, that hands itself to the routes
 * ({@link RequestKeys#OPEN_STREAMS}) with the count of changes heard so far: a stream whose credential
 * was read before a change that arrived before the stream was registered is checked again at once.
 * Thread-safe: changes arrive on a store thread; each stream is closed on its own event loop.
 */
public final class OpenStreams implements GatewayFilter {
    private static final Logger LOG = Logger.getLogger(OpenStreams.class.getName());
    /** Before authentication: the change count is taken before the credential is read. */
    public static final int ORDER = ORDER_AUTHENTICATION - 10;
    private static final String CHANGES_BEFORE_AUTH = "opentrade.openStreams.changesBeforeAuth";
    /** Streams one gateway holds at most: well above its connection limit, so only a leak reaches it. */
    public static final int DEFAULT_MAX_STREAMS = 100_000;

    private final Vertx vertx;
    private final KeyRegistry registry;
    private final PlanCatalog plans;
    private final ClientAddresses addresses;
    private final LongSupplier nowMillis;
    private final int maxStreams;
    private final int maxPerDeveloper;
    private final AtomicInteger open = new AtomicInteger();
    /** Changes heard; a stream authenticated while one arrived is checked again when it opens. */
    private final AtomicLong changesHeard = new AtomicLong();
    private final Map<String, Set<Stream>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Set<Stream>> byDeveloper = new ConcurrentHashMap<>();

    /**
     * @param maxStreams      streams this gateway holds at most
     * @param maxPerDeveloper streams one developer may hold open on this gateway (keys and sessions
     *                        together); a further upgrade is refused with -3004
     */
    public OpenStreams(Vertx vertx, KeyRegistry registry, PlanCatalog plans, ClientAddresses addresses,
                       LongSupplier nowMillis, int maxStreams, int maxPerDeveloper) {
        if (maxPerDeveloper < 1) {
            throw new IllegalArgumentException("streams per developer must be at least 1, was " + maxPerDeveloper);
        }
        this.vertx = vertx;
        this.registry = registry;
        this.plans = plans;
        this.addresses = addresses;
        this.nowMillis = nowMillis;
        this.maxStreams = maxStreams;
        this.maxPerDeveloper = maxPerDeveloper;
        registry.onChange(this::changed);
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.websocket();
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(RequestKeys.OPEN_STREAMS, this);
        ctx.put(CHANGES_BEFORE_AUTH, changesHeard.get());
        ctx.next();
    }

    /** Streams currently registered; for tests and metrics. */
    public int size() {
        return open.get();
    }

    /**
     * Registers the authenticated caller's stream before its upstream is dialled, so a change that
     * arrives meanwhile is not missed; null when this gateway holds {@code maxStreams} already.
     * Called on the caller's event loop.
     *
     * @throws Rejection -3004 when the caller's developer holds {@code maxPerDeveloper} streams here
     *                   (thrown in the route's handler, it is answered like any refusal)
     */
    public Stream open(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("a stream opens only after authentication");
        }
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return null;
        }
        Long expiresAt = ctx.get(RequestKeys.CREDENTIAL_EXPIRES_AT);
        String secret = p.keyId() == null ? null : ctx.request().getHeader("X-API-Secret");
        SessionTokens.Claims session = ctx.get(RequestKeys.SESSION);
        Stream s = new Stream(p, expiresAt == null ? 0 : expiresAt, secret == null ? null : ApiSecrets.hash(secret),
                session == null ? 0 : session.generation(), HttpErrors.traceId(ctx), addresses.of(ctx.request()),
                vertx.getOrCreateContext());
        boolean[] admitted = {false};
        byDeveloper.compute(p.developerId(), (k, set) -> {
            Set<Stream> streams = set != null ? set : ConcurrentHashMap.newKeySet();
            if (streams.size() < maxPerDeveloper) {
                streams.add(s);
                admitted[0] = true;
            }
            return streams.isEmpty() ? null : streams;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            throw new Rejection(GatewayError.STREAM_QUOTA_REACHED, "at most " + maxPerDeveloper
                    + " open streams per developer on this gateway; close one first");
        }
        if (p.keyId() != null) {
            byKey.computeIfAbsent(p.keyId(), k -> ConcurrentHashMap.newKeySet()).add(s);
        }
        Long before = ctx.get(CHANGES_BEFORE_AUTH);
        if (before == null || before != changesHeard.get()) {
            // A change arrived between reading the credential and registering the stream, which the
            // recheck of that change could not see: check this stream's credential again now.
            if (p.keyId() != null) {
                recheckKey(p.keyId());
            } else {
                recheckSessions(p.developerId());
            }
        } else if (s.secretHash != null) {
            // Which of a rotating key's secrets it uses (and until when that one is valid) is read from
            // the store: one read per stream opened with a secret.
            recheck(p.keyId(), Set.of(s));
        }
        return s;
    }

    /** Streams the developer holds open on this gateway; for tests and metrics. */
    public int openBy(String developerId) {
        Set<Stream> streams = byDeveloper.get(developerId);
        return streams == null ? 0 : streams.size();
    }

    private void changed(String change) {
        changesHeard.incrementAndGet();
        if (KeyRegistry.EVERYTHING.equals(change)) {
            byKey.keySet().forEach(this::recheckKey);
            byDeveloper.forEach((dev, streams) -> recheckSessions(dev));
        } else if (change.startsWith("key:")) {
            recheckKey(change.substring(4));
        } else if (change.startsWith("developer:")) {
            String developerId = change.substring(10);
            Set<Stream> streams = byDeveloper.get(developerId);
            if (streams != null) {
                streams.stream().filter(s -> s.principal.keyId() != null).map(s -> s.principal.keyId()).distinct()
                        .forEach(this::recheckKey);
            }
            recheckSessions(developerId);
        }
    }

    private void recheckKey(String keyId) {
        Set<Stream> streams = byKey.get(keyId);
        if (streams == null || streams.isEmpty()) {
            return;
        }
        recheck(keyId, streams);
    }

    /** Reads the key and its developer from the store and ends those of {@code streams} no longer valid. */
    private void recheck(String keyId, Set<Stream> streams) {
        registry.key(keyId).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(new KeyAndDeveloper(null, Optional.empty()))
                : registry.developer(found.get().developerId()).thenApply(d -> new KeyAndDeveloper(found.get(), d)))
                .whenComplete((kd, err) -> {
                    if (err != null) {
                        LOG.warning("cannot recheck the streams of key " + keyId + ", kept open: " + err);
                        return;
                    }
                    long now = nowMillis.getAsLong();
                    for (Stream s : List.copyOf(streams)) {
                        Optional<GatewayError> verdict = kd.key() == null ? Optional.of(GatewayError.KEY_REVOKED)
                                : KeyChecks.check(ResolvedKey.of(kd.key(), plans.planOrDefault(kd.key().plan())),
                                        kd.developer().orElse(null), now, s.address);
                        if (verdict.isPresent()) {
                            s.end(verdict.get());
                        } else if (s.secretHash != null) {
                            checkSecret(s, kd.key(), now);
                        }
                    }
                });
    }

    /**
     * A stream on the current secret stays; on an earlier secret still in a rotation's grace it ends when the
     * grace period does; on none (rotated past it, or the grace is over) it ends now.
     */
    private static void checkSecret(Stream s, ApiKey key, long now) {
        List<String> hashes = key.secretHashes();
        if (!hashes.isEmpty() && hashes.get(0).equals(s.secretHash)) {
            return;
        }
        if (hashes.indexOf(s.secretHash) > 0 && now < key.previousSecretUntil()) {
            s.deadline(key.previousSecretUntil(), GatewayError.SECRET_WRONG);
        } else {
            s.end(GatewayError.SECRET_WRONG);
        }
    }

    private record KeyAndDeveloper(ApiKey key, Optional<Developer> developer) {
    }

    private void recheckSessions(String developerId) {
        Set<Stream> streams = byDeveloper.get(developerId);
        if (streams == null || streams.stream().noneMatch(s -> s.principal.isSession())) {
            return;
        }
        CompletionStage<Optional<Developer>> dev = registry.developer(developerId);
        dev.whenComplete((d, err) -> {
            if (err != null) {
                LOG.warning("cannot recheck the sessions of developer " + developerId + ", kept open: " + err);
                return;
            }
            for (Stream s : List.copyOf(streams)) {
                if (!s.principal.isSession()) {
                    continue;
                }
                if (d.isEmpty()) {
                    s.end(GatewayError.SESSION_INVALID);
                } else if (d.get().suspended()) {
                    s.end(GatewayError.DEVELOPER_SUSPENDED); // first: a suspension also moves the generation on
                } else if (d.get().sessionGeneration() != s.sessionGeneration) {
                    s.end(GatewayError.SESSION_EXPIRED); // a password change, a log-out everywhere, a suspension
                }
            }
        });
    }

    private void remove(Stream s) {
        if (s.principal.keyId() != null) {
            byKey.computeIfPresent(s.principal.keyId(), (k, set) -> set.remove(s) && set.isEmpty() ? null : set);
        }
        byDeveloper.computeIfPresent(s.principal.developerId(), (k, set) -> set.remove(s) && set.isEmpty() ? null : set);
        open.decrementAndGet();
    }

    /**
     * One open stream. Until {@link #attach} it is being dialled: an end decided meanwhile is kept and
     * applied on attach. Its state is confined to its event loop.
     */
    public final class Stream {
        private final Principal principal;
        private final long expiresAt;
        /** SHA-256 of the secret the stream authenticated with; null for signatures and sessions. */
        private final String secretHash;
        /** The session generation a session's token was issued in; 0 for keys. */
        private final int sessionGeneration;
        private final String traceId;
        private final byte[] address;
        private final Context context;
        private Consumer<GatewayError> closer;
        private GatewayError pending;
        private boolean removed;
        private long expiryTimer = -1;
        /** When the secret it uses stops being valid (a rotation's grace), 0 none; and its timer. */
        private long secretUntil;
        private long secretTimer = -1;

        private Stream(Principal principal, long expiresAt, String secretHash, int sessionGeneration, String traceId,
                       byte[] address, Context context) {
            this.principal = principal;
            this.expiresAt = expiresAt;
            this.secretHash = secretHash;
            this.sessionGeneration = sessionGeneration;
            this.traceId = traceId;
            this.address = address;
            this.context = context;
        }

        /** The trace id of the upgrade request: error frames and close reasons carry it. */
        public String traceId() {
            return traceId;
        }

        /**
         * The stream is bridged: {@code closer} ends it with an error (called on its event loop). Starts
         * the expiry timer. Called on the stream's event loop.
         */
        public void attach(Consumer<GatewayError> closer) {
            this.closer = closer;
            if (pending != null) {
                end(pending);
                return;
            }
            if (expiresAt > 0) {
                GatewayError why = principal.isSession() ? GatewayError.SESSION_EXPIRED : GatewayError.KEY_EXPIRED;
                long delay = Math.max(1, expiresAt - nowMillis.getAsLong());
                expiryTimer = vertx.setTimer(delay, id -> end(why));
            }
            armSecretTimer();
        }

        /** Ends the stream at {@code atMillis} (epoch) with {@code why}, unless it ends before; from any thread. */
        void deadline(long atMillis, GatewayError why) {
            context.runOnContext(v -> {
                if (removed || (secretUntil > 0 && secretUntil <= atMillis)) {
                    return;
                }
                secretUntil = atMillis;
                if (closer != null) {
                    armSecretTimer();
                }
            });
        }

        private void armSecretTimer() {
            if (secretUntil <= 0) {
                return;
            }
            if (secretTimer >= 0) {
                vertx.cancelTimer(secretTimer);
            }
            secretTimer = vertx.setTimer(Math.max(1, secretUntil - nowMillis.getAsLong()),
                    id -> end(GatewayError.SECRET_WRONG));
        }

        /** Ends the stream with {@code why}; from any thread. */
        void end(GatewayError why) {
            context.runOnContext(v -> {
                if (removed) {
                    return;
                }
                if (closer == null) {
                    pending = why;
                } else {
                    closer.accept(why);
                    closed();
                }
            });
        }

        /** The stream ended (or its dial failed): forget it. Called on its event loop; idempotent. */
        public void closed() {
            if (removed) {
                return;
            }
            removed = true;
            if (expiryTimer >= 0) {
                vertx.cancelTimer(expiryTimer);
            }
            if (secretTimer >= 0) {
                vertx.cancelTimer(secretTimer);
            }
            remove(this);
        }
    }
}
