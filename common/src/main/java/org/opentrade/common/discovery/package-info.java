/**
 * Service discovery for HTTP upstreams: each market-api and trade-api instance announces a
 * {@link org.opentrade.common.discovery.ServiceInstance} (service, instance id, host, port, weight,
 * draining) through the {@link org.opentrade.common.discovery.ServiceDiscovery} port, and gateways
 * watch the instances of the services they route to, told of each change by an
 * {@link org.opentrade.common.discovery.InstanceListener}. The
 * {@link org.opentrade.common.discovery.InstanceCatalog} turns the registry's raw events and
 * resyncs into per-service {@link org.opentrade.common.discovery.ServiceInstances} and
 * {@link org.opentrade.common.discovery.InstanceChange}s.
 *
 * <p>Plain Java: no Vert.x or Hazelcast here. The cluster adapter is in {@code .cluster}.
 */
package org.opentrade.common.discovery;
