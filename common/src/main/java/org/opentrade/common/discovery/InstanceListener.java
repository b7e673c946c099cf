package org.opentrade.common.discovery;

import java.util.List;

/**
 * Told of every change to the instances of the service it watches. The first call, when the watch
 * starts, has the current set and an {@link InstanceChange.Kind#ADDED} per instance (none when
 * there are none). Calls for one watch never overlap and come in the order the changes were seen.
 * Called on the discovery's own thread: keep it short and never block.
 */
@FunctionalInterface
public interface InstanceListener {
    void changed(ServiceInstances current, List<InstanceChange> changes);
}
