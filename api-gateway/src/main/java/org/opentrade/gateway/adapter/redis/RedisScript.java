package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script shipped as a class-path resource beside this class, run by its SHA-1 digest
 * ({@code EVALSHA}: the script text is not resent with every call). When the server does not know the
 * digest (first call, a restarted or flushed server) it falls back to {@code EVAL}, which also caches
 * the script for the next calls. Immutable and thread-safe.
 */
final class RedisScript {

    private final String name;
    private final String source;
    private final String sha;

    private RedisScript(String name, String source, String sha) {
        this.name = name;
        this.source = source;
        this.sha = sha;
    }

    /** Loads {@code <name>.lua}; fails fast when it is missing (a packaging bug). */
    static RedisScript load(String name, RedisAsyncCommands<String, String> commands) {
        String file = name + ".lua";
        try (InputStream in = RedisScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("Lua script missing from the class path: " + file);
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new RedisScript(name, source, commands.digest(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Runs the script: one round trip, two after a {@code NOSCRIPT}. */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, String> commands, ScriptOutputType type, String[] keys,
                               String... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.<T>evalsha(sha, type, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (isNoScript(failure)) {
                commands.<T>eval(source, type, keys, args).whenComplete((v, f) -> {
                    if (f == null) {
                        result.complete(v);
                    } else {
                        result.completeExceptionally(f);
                    }
                });
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    String name() {
        return name;
    }

    private static boolean isNoScript(Throwable failure) {
        return failure instanceof RedisNoScriptException
                || (failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT"));
    }
}
