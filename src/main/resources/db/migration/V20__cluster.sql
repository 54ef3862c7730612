-- A cluster of hubs on one PostgreSQL (issue 14). Each hub's heartbeat (ClusterHeartbeat, every
-- hub.cluster.heartbeat-ms): a hub whose heartbeat is older than hub.cluster.node-lease-seconds is dead, and its
-- claimed notifications are taken back at once. On embedded H2 (one hub) these tables stay empty.
CREATE TABLE hub_node (
    node_id       VARCHAR(200) NOT NULL PRIMARY KEY,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per rate key (channel + LINE endpoint): locked (SELECT … FOR UPDATE) while a hub changes its share.
CREATE TABLE rate_key (
    rate_key  VARCHAR(200) NOT NULL PRIMARY KEY
);

-- Each hub's share of a rate key's budget (requests it may have in their one-second window at LINE at once) and
-- whether it has work for it. The shares of hubs whose heartbeat is recent add up to at most the budget.
CREATE TABLE rate_share (
    rate_key  VARCHAR(200) NOT NULL REFERENCES rate_key (rate_key),
    node_id   VARCHAR(200) NOT NULL REFERENCES hub_node (node_id) ON DELETE CASCADE,
    granted   INTEGER NOT NULL,
    wanting   BOOLEAN NOT NULL,
    PRIMARY KEY (rate_key, node_id)
);
