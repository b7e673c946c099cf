package org.opentrade.common.discovery;

import java.util.regex.Pattern;

/**
 * One running instance of an HTTP service as it announces itself to the cluster: which service
 * ({@code market-api}, {@code trade-api}), a unique id, where it listens, how much traffic it wants
 * relative to its siblings, and whether it is draining (finishing what it has, taking nothing new).
 * Immutable; the constructor fails fast on a bad value.
 *
 * @param service    the service name, which is also the gateway pool's name; letters, digits, {@code ._-}
 * @param instanceId unique over the cluster and over time (a restart announces a new id)
 * @param host       an address the gateways can reach (never a wildcard such as 0.0.0.0)
 * @param port       the HTTP port, 1..65535
 * @param weight     share of new requests relative to the service's other instances, 0..{@value #MAX_WEIGHT};
 *                   0 takes no new requests, like draining
 * @param draining   true from the moment the instance begins to stop: gateways send it nothing new
 * @param partition  the account partition it serves (1..{@value #MAX_PARTITIONS}; see {@link Partitions}),
 *                   or 0 when it serves every caller
 */
public record ServiceInstance(String service, String instanceId, String host, int port, int weight, boolean draining,
                              int partition) {
    /** The weight of an instance that says nothing else: equal shares. */
    public static final int DEFAULT_WEIGHT = 1;
    /** Bounds the length of a gateway's weighted rotation (the sum of its instances' weights). */
    public static final int MAX_WEIGHT = 100;
    /** Bounds the partitions a service may be split into. */
    public static final int MAX_PARTITIONS = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** An instance that serves every caller (no partition). */
    public ServiceInstance(String service, String instanceId, String host, int port, int weight, boolean draining) {
        this(service, instanceId, host, port, weight, draining, 0);
    }

    public ServiceInstance {
        if (service == null || !NAME.matcher(service).matches()) {
            throw new IllegalArgumentException("service name '" + service + "' is not 1-64 of [A-Za-z0-9._-]");
        }
        if (instanceId == null || instanceId.isBlank() || instanceId.length() > 128) {
            throw new IllegalArgumentException("instance id of " + service + " must be 1-128 characters, got '"
                    + instanceId + "'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host of " + service + " instance " + instanceId + " is empty");
        }
        if (isWildcard(host)) {
            throw new IllegalArgumentException("host of " + service + " instance " + instanceId + " is the wildcard "
                    + host + "; announce an address the gateways can reach");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port of " + service + " instance " + instanceId + " is " + port
                    + "; allowed: 1..65535");
        }
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight of " + service + " instance " + instanceId + " is " + weight
                    + "; allowed: 0.." + MAX_WEIGHT);
        }
        if (partition < 0 || partition > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partition of " + service + " instance " + instanceId + " is " + partition
                    + "; allowed: 0 (none) or 1.." + MAX_PARTITIONS);
        }
    }

    /** An instance with the default weight that is not draining. */
    public static ServiceInstance of(String service, String instanceId, String host, int port) {
        return new ServiceInstance(service, instanceId, host, port, DEFAULT_WEIGHT, false);
    }

    /** True for an address that means "every interface" (what a server binds, never what a client dials). */
    public static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** {@code host:port}, as the gateway's static target lists spell it. */
    public String address() {
        return host + ":" + port;
    }

    /** Whether gateways should send it new requests: not draining and a weight above 0. */
    public boolean serving() {
        return !draining && weight > 0;
    }

    /** The same instance, draining. */
    public ServiceInstance asDraining() {
        return new ServiceInstance(service, instanceId, host, port, weight, true, partition);
    }
}
