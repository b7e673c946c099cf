/**
 * Distributed mode's one cluster bootstrap: {@link org.opentrade.common.cluster.ClusterConfig} (the
 * {@code cluster:} section every service's YAML carries), {@link
 * org.opentrade.common.cluster.ClusterTls} (its {@code tls:} part) and {@link
 * org.opentrade.common.cluster.ClusteredVertx}, which turns them into a Hazelcast configuration built
 * in code (TCP/IP member list, multicast and phone-home off, loopback by default) and a clustered
 * Vert.x. The all-in-one reads the section and ignores it: its event bus is local.
 *
 * <h2>Trust between members</h2>
 * Two layers carry the cluster, and only one of them can authenticate.
 * <ul>
 *   <li><b>The event bus: mutual TLS.</b> With {@code cluster.tls.enabled} every event-bus
 *   connection is TLS 1.3 and both ends present a certificate issued by the cluster CA. A process
 *   without one can neither deliver a message to a handler on a certified member (an exchange
 *   command as any account, a FIX logon check, a feed request) nor receive one from it: the
 *   certified member refuses its connection, and refuses to connect to it. Its sends time out
 *   unanswered. Whoever holds a CA-issued certificate and key is a member (host names are not
 *   checked), so the CA issues certificates to members only and its key stays off the members.</li>
 *   <li><b>Hazelcast membership: not authenticated.</b> Member authentication and TLS between
 *   members are Hazelcast Enterprise features; the open-source 5.3 engine Vert.x ships admits any
 *   process that reaches a member's port and sends the cluster name. What is done instead: members
 *   bind one interface (127.0.0.1 by default) and join by an explicit member list, never multicast;
 *   the run script makes the cluster name random and keeps it in {@code secrets/} (a shared secret
 *   that keeps out whoever cannot read it, but no password: it crosses the network in clear text
 *   and Hazelcast writes it in its log lines); Java deserialization is limited to Hazelcast's and
 *   the JDK's classes, and Jet, user-code deployment, REST and Memcache are off, so a rogue member
 *   cannot run code on the others through Hazelcast.</li>
 * </ul>
 *
 * <h2>What a rogue Hazelcast member can still do</h2>
 * A process that knows the cluster name and reaches a member's port, but holds no certificate:
 * <ul>
 *   <li>It <b>cannot</b> send to or receive from any certified member's event bus, so it cannot
 *   place, cancel or replace orders, read the exchange feed or answer a request meant for a
 *   service.</li>
 *   <li>It <b>cannot</b> redirect the gateways: service discovery uses a registry entry only once
 *   the member it names confirms it over the certified event bus
 *   ({@code org.opentrade.common.discovery.cluster.OwnerCheck}).</li>
 *   <li>It <b>can</b> read and change what Hazelcast holds: Vert.x's table of event-bus handlers and
 *   node addresses, and the discovery registry. That is denial of service, not access: removing
 *   registrations, or adding handlers of its own for an address, makes some messages to that
 *   address time out (they are routed to it and refused); marking a real instance draining or
 *   weight 0 takes it out of the gateways' rotation; it also learns the members' addresses and the
 *   services' endpoints.</li>
 *   <li>It <b>can</b> disturb the cluster itself: take part in partition ownership, then leave or
 *   stall (data in its partitions is recovered from backups; Vert.x re-registers its handlers), or
 *   join and leave repeatedly.</li>
 * </ul>
 * Hence the deployment rule: the Hazelcast port must be reachable only by cluster members (loopback,
 * a private network or a firewall), and the cluster name treated as a secret. For authenticated
 * membership, run Hazelcast Enterprise (TLS and member authentication) or put member traffic in a
 * private network or tunnel such as WireGuard.
 */
package org.opentrade.common.cluster;
