package io.linehub.sandbox;

import io.vertx.ext.web.Router;

/**
 * One family of LINE endpoints served by the sandbox (template LON today; push, multicast, broadcast,
 * narrowcast, flexible LON, quota... later). Each family mounts its routes and uses the shared
 * {@link LineCall} for authentication, content-type and JSON checks, error bodies and recording.
 */
interface SandboxEndpoint {

    void mount(Router router, SandboxContext sandbox);
}
