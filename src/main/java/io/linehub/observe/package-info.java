/**
 * Watching the hub: the hub's own Micrometer meters (intake, delivery, inbox, LINE's answers and quota), the gauges read
 * from the database now and then, the LINE channels' state and the health checks built on them, and the Prometheus
 * scrape behind {@code /observe/metrics}. Camel's own meters (routes, JVM) come from camel-micrometer-prometheus into
 * the same registry. Labels are channel, operation, type, trigger and status: never a customer, phone number or user ID.
 * Imports no hub package but {@code line} (LINE's answers) and {@code json}.
 */
package io.linehub.observe;
