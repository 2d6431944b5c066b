package org.wardline.server.health;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** A named check of one thing the server needs (PostgreSQL, S3, clamd): succeeds when it answers. */
public record DependencyCheck(String name, Supplier<Future<?>> probe) {
}
