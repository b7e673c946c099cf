package org.opentrade.common.cluster;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;

/**
 * How one process joins the cluster of distributed mode (the {@code cluster:} section of every
 * service's YAML): the Hazelcast membership that carries the clustered Vert.x event bus, and the
 * event bus's own TCP endpoint. Immutable; {@link #fromConfig} validates every key once at start-up.
 * {@link ClusteredVertx} turns it into a running clustered Vert.x.
 *
 * <p>Membership is by an explicit TCP/IP member list, never multicast: a process joins only the
 * members it is told about, and nothing is announced on the network. Everything defaults to
 * 127.0.0.1, so a process started with no settings joins the other processes of this machine only.
 *
 * @param name               Hazelcast cluster name: only members with the same name join each other
 * @param members            members to contact when joining, {@code host} or {@code host:port} (a bare
 *                           host is tried on {@value #DEFAULT_PORT} and the two ports after it)
 * @param host               the IPv4 address Hazelcast binds and the event bus listens on; {@code 0.0.0.0}
 *                           binds every interface (then {@code publicHost} is required)
 * @param publicHost         the address other members reach this one at; defaults to {@code host}
 * @param port               Hazelcast's member port
 * @param portAutoIncrement  when {@code port} is taken, try the next ports (up to {@value #PORT_COUNT})
 * @param memberTimeout      a member silent this long is dropped from the cluster (its event-bus
 *                           consumers with it)
 * @param eventBusPort       the clustered event bus's TCP port; 0 picks a free one (members learn it
 *                           through Hazelcast)
 * @param tls                mutual TLS on the event bus ({@link ClusterTls#OFF} by default)
 * @param cp                 Hazelcast's CP subsystem, which holds the exchange's leadership lock
 *                           ({@link ClusterCp#OFF} by default)
 */
public record ClusterConfig(String name, List<String> members, String host, String publicHost, int port,
                            boolean portAutoIncrement, Duration memberTimeout, int eventBusPort, ClusterTls tls,
                            ClusterCp cp) {
    public static final String DEFAULT_NAME = "opentrade";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;
    public static final List<String> DEFAULT_MEMBERS = List.of(DEFAULT_HOST);
    /**
     * Hazelcast's own default is 60 s; on the loopback or a LAN 15 s notices a dead process sooner
     * (its event-bus consumers stop getting messages) with no false alarms from GC pauses.
     */
    public static final Duration DEFAULT_MEMBER_TIMEOUT = Duration.ofSeconds(15);
    /** Ports tried after {@code port} when it is taken and auto-increment is on. */
    public static final int PORT_COUNT = 20;
    static final String ANY = "0.0.0.0";

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ClusterConfig {
        members = List.copyOf(members);
        if (tls == null) {
            throw new IllegalArgumentException("tls: give ClusterTls.OFF for a plain event bus");
        }
        if (cp == null) {
            throw new IllegalArgumentException("cp: give ClusterCp.OFF for no CP subsystem");
        }
        if (!CLUSTER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name + "': allowed 1-64 of [A-Za-z0-9._-]");
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members: at least one host or host:port is needed");
        }
        for (String m : members) {
            checkMember(m);
        }
        if (!IPV4.matcher(host).matches()) {
            throw new IllegalArgumentException("host '" + host + "': allowed an IPv4 address such as 127.0.0.1,"
                    + " or 0.0.0.0 for every interface");
        }
        if (publicHost == null || publicHost.isBlank()) {
            if (ANY.equals(host)) {
                throw new IllegalArgumentException("public_host is required when host is 0.0.0.0: the address other"
                        + " members reach this one at");
            }
            publicHost = host;
        } else if (!IPV4.matcher(publicHost).matches() || ANY.equals(publicHost)) {
            throw new IllegalArgumentException("public_host '" + publicHost + "': allowed an IPv4 address other"
                    + " members can reach");
        }
        checkPort("port", port, 1);
        checkPort("event_bus_port", eventBusPort, 0);
        if (memberTimeout.compareTo(Duration.ofSeconds(2)) < 0 || memberTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("member_timeout " + memberTimeout + ": allowed 2s to 10m");
        }
    }

    /** No CP subsystem ({@link ClusterCp#OFF}); the other components as in the canonical constructor. */
    public ClusterConfig(String name, List<String> members, String host, String publicHost, int port,
                         boolean portAutoIncrement, Duration memberTimeout, int eventBusPort, ClusterTls tls) {
        this(name, members, host, publicHost, port, portAutoIncrement, memberTimeout, eventBusPort, tls, ClusterCp.OFF);
    }

    /**
     * A plain event bus ({@link ClusterTls#OFF}) and no CP subsystem ({@link ClusterCp#OFF}); the other
     * components as in the canonical constructor.
     */
    public ClusterConfig(String name, List<String> members, String host, String publicHost, int port,
                         boolean portAutoIncrement, Duration memberTimeout, int eventBusPort) {
        this(name, members, host, publicHost, port, portAutoIncrement, memberTimeout, eventBusPort, ClusterTls.OFF,
                ClusterCp.OFF);
    }

    /** Everything at its default: this machine's loopback, cluster {@value #DEFAULT_NAME}, no TLS, no CP subsystem. */
    public static ClusterConfig defaults() {
        return new ClusterConfig(DEFAULT_NAME, DEFAULT_MEMBERS, DEFAULT_HOST, null, DEFAULT_PORT, true,
                DEFAULT_MEMBER_TIMEOUT, 0);
    }

    /** This configuration with {@code tls} on its event bus. */
    public ClusterConfig withTls(ClusterTls tls) {
        return new ClusterConfig(name, members, host, publicHost, port, portAutoIncrement, memberTimeout, eventBusPort, tls,
                cp);
    }

    /** This configuration with {@code cp} as its CP subsystem. */
    public ClusterConfig withCp(ClusterCp cp) {
        return new ClusterConfig(name, members, host, publicHost, port, portAutoIncrement, memberTimeout, eventBusPort, tls,
                cp);
    }

    /**
     * Reads a {@code cluster:} section (keys {@code name}, {@code members}, {@code host},
     * {@code public_host}, {@code port}, {@code port_auto_increment}, {@code member_timeout},
     * {@code event_bus_port}, the {@code tls} section, see {@link ClusterTls#fromConfig}, the
     * {@code cp} section, see {@link ClusterCp#fromConfig}, and {@code allow_plaintext}); absent keys take the
     * defaults. A bad value, a TLS store that cannot be used, or a host other than loopback without TLS (unless
     * {@code allow_plaintext}) throws a {@link ConfigException} naming the key.
     */
    public static ClusterConfig fromConfig(Config section) {
        String name = section.string("name", DEFAULT_NAME);
        List<String> members = section.strings("members");
        String host = section.string("host", DEFAULT_HOST);
        String publicHost = section.string("public_host", "");
        int port = section.intValue("port", DEFAULT_PORT, 1, 65_535);
        boolean autoIncrement = section.bool("port_auto_increment", true);
        Duration timeout = section.duration("member_timeout", DEFAULT_MEMBER_TIMEOUT);
        int busPort = section.intValue("event_bus_port", 0, 0, 65_535);
        ClusterTls tls = ClusterTls.fromConfig(section.section("tls"));
        ClusterCp cp = ClusterCp.fromConfig(section.section("cp"));
        boolean allowPlaintext = section.bool("allow_plaintext", false); // read always: the keys read are the known ones
        ClusterConfig config;
        try {
            config = new ClusterConfig(name, members.isEmpty() ? DEFAULT_MEMBERS : members, host, publicHost, port,
                    autoIncrement, timeout, busPort, tls, cp);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config section 'cluster': " + e.getMessage() + " (" + section.origin() + ")");
        }
        if (!tls.enabled() && !host.startsWith("127.") && !allowPlaintext) {
            // Found in review: a service started on a LAN address without the TLS settings served a plain event bus
            // under the well-known cluster name, where any process that reaches it sends exchange commands as any
            // account; the only hint was "event-bus TLS off" in an INFO line.
            throw new ConfigException("config section 'cluster': host " + host + " with the event bus in plain text:"
                    + " any process that reaches it could send exchange commands as any account. Turn on cluster.tls"
                    + " (OPENTRADE_CLUSTER_TLS and its key stores), bind 127.0.0.1, or set cluster.allow_plaintext: true"
                    + " on a network you trust (" + section.origin() + ")");
        }
        return config;
    }

    private static void checkMember(String member) {
        String host = member;
        int colon = member.lastIndexOf(':');
        if (colon >= 0) {
            host = member.substring(0, colon);
            String port = member.substring(colon + 1);
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65_535) {
                throw new IllegalArgumentException("members entry '" + member + "': the port must be 1..65535");
            }
        }
        if (!HOSTNAME.matcher(host).matches()) {
            throw new IllegalArgumentException("members entry '" + member + "': allowed host or host:port, such as"
                    + " 127.0.0.1:5701 or exchange-1:5701");
        }
    }

    private static void checkPort(String key, int port, int min) {
        if (port < min || port > 65_535) {
            throw new IllegalArgumentException(key + " " + port + ": allowed " + min + "..65535");
        }
    }

    /** For start-up log lines. */
    @Override
    public String toString() {
        return "cluster '" + name + "' (member " + publicHost + ":" + port + (portAutoIncrement ? "+" : "")
                + ", members " + members + ", " + tls + ", " + cp + ")";
    }
}
