/**
 * Distributed mode's one cluster bootstrap: {@link org.opentrade.common.cluster.ClusterConfig} (the
 * {@code cluster:} section every service's YAML carries) and {@link
 * org.opentrade.common.cluster.ClusteredVertx}, which turns it into a Hazelcast configuration built in
 * code (TCP/IP member list, multicast and phone-home off, loopback by default) and a clustered Vert.x.
 * The all-in-one reads the section and ignores it: its event bus is local.
 */
package org.opentrade.common.cluster;
