/**
 * Service discovery on the Vert.x cluster's Hazelcast: {@link
 * org.opentrade.common.discovery.cluster.HazelcastServiceDiscovery} (the registry),
 * {@link org.opentrade.common.discovery.cluster.ClusterDiscovery} (starts one on a clustered Vert.x)
 * and {@link org.opentrade.common.discovery.cluster.ServiceEndpoint} (the hook a service main calls
 * to announce its HTTP endpoint and to drain on shutdown).
 *
 * <h2>Why</h2>
 * <ul>
 *   <li><b>The cluster we already run, not a second one.</b> The clustered event bus needs Hazelcast
 *   anyway; a registry in it adds no process to run or secure (the seeds used ZooKeeper, Consul or
 *   Nacos beside their bus).</li>
 *   <li><b>A Hazelcast map, not Vert.x node metadata.</b> {@code EventBusOptions#setClusterNodeMetadata}
 *   is fixed when the node joins, before the HTTP server has a port, and cannot say "draining"
 *   later; and {@code ClusterManager#nodeListener} holds one listener, which Vert.x's HA manager
 *   already owns. Member attributes are fixed at start too. A map entry per instance can change at
 *   any time and push the change to every watcher.</li>
 *   <li><b>Membership removes the dead.</b> Entries are not leased: an entry carries its member's
 *   UUID, and the survivors remove a departed member's entries when Hazelcast's failure detector
 *   declares it gone. A resync repairs what an event may have missed, with one resync of grace
 *   before removing an entry whose member this node does not know yet.</li>
 *   <li><b>Drain, then withdraw.</b> A stopping instance first announces draining (the gateways stop
 *   sending it new requests within milliseconds), keeps serving for a grace period so the requests
 *   already sent finish, then withdraws; only then does its main stop the HTTP server.</li>
 *   <li><b>Confirmed by the owner, over the authenticated bus.</b> Open-source Hazelcast lets any
 *   process that joins write to the map, so the map is a list of claims: an entry is used only once
 *   the member it names confirms it on the event bus ({@link
 *   org.opentrade.common.discovery.cluster.OwnerCheck}), which with mutual TLS only certified members
 *   can use. A rogue writer can withhold or mark instances draining (denial of service), never send
 *   the gateways' traffic and identity assertions to an endpoint of its own.</li>
 * </ul>
 */
package org.opentrade.common.discovery.cluster;
