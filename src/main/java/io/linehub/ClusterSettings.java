package io.linehub;

import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;

/**
 * A cluster's settings (config/application.properties, "Cluster"): used only when the hub database is PostgreSQL.
 *
 * @param heartbeat  how often a hub renews its heartbeat and its rate shares
 * @param nodeLease  a hub not heard of this long is dead: its claimed notifications are taken back
 * @param shareLease how long a hub may use its share of a rate budget after a renewal
 */
record ClusterSettings(Duration heartbeat, Duration nodeLease, Duration shareLease) {

    static ClusterSettings from(PropertiesComponent p) {
        ClusterSettings s = new ClusterSettings(
                Duration.ofMillis(Long.parseLong(HubSettings.required(p, "hub.cluster.heartbeat-ms"))),
                Duration.ofSeconds(Long.parseLong(HubSettings.required(p, "hub.cluster.node-lease-seconds"))),
                Duration.ofMillis(Long.parseLong(HubSettings.required(p, "hub.cluster.rate-lease-ms"))));
        if (s.heartbeat.toMillis() < 10 || s.heartbeat.multipliedBy(2).compareTo(s.shareLease) > 0) {
            throw new IllegalArgumentException("hub.cluster.heartbeat-ms (HUB_CLUSTER_HEARTBEAT_MS) must be at least 10 and at most half of"
                    + " hub.cluster.rate-lease-ms (" + s.shareLease.toMillis() + "), was " + s.heartbeat.toMillis());
        }
        return s;
    }
}
