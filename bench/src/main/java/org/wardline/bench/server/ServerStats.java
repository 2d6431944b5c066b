package org.wardline.bench.server;

import io.vertx.core.json.JsonObject;

/** What the server process reported about its memory: bytes, -1 where unknown. */
public record ServerStats(long heapUsed, long heapPeak, long heapMax, long rss, int threads) {
    static ServerStats of(JsonObject json) {
        return new ServerStats(json.getLong("heapUsed"), json.getLong("heapPeak"), json.getLong("heapMax"),
                json.getLong("rss"), json.getInteger("threads"));
    }
}
