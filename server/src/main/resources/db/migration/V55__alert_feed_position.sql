-- Where the security-alert rules have read the audit trail to (issue 4: alerts; kept across restarts and
-- handed from node to node in a cluster). One row; only the node holding the feed's advisory lock writes it.
-- A node that takes the feed over reads on from here, so entries written while no node held the feed still
-- raise their alerts.
CREATE TABLE alert_feed_position (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq   bigint      NOT NULL CHECK (last_seq >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
