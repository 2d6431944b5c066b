package org.wardline.server;

import io.vertx.ext.web.Router;

/**
 * A feature's HTTP surface (device enrollment, uploads, share links …). The composition root builds each
 * module with what it needs and lets it add routes to the listeners; a module adds nothing to a listener it
 * has no business on.
 */
public interface ApiModule {
    /** Routes on the public listener (server TLS, no client certificate). */
    default void mountPublic(Router router) {
    }

    /** Routes on the device listener (mutual TLS: the client certificate is verified before any route runs). */
    default void mountDevice(Router router) {
    }
}
