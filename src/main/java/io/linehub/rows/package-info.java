/**
 * Notification rows as the triggers receive them in bulk (CSV and NDJSON: the inbox's files, the batch API's NDJSON
 * body), each turned into the API's JSON form. Shared by {@code inbox} and {@code api} so neither imports the other.
 */
package io.linehub.rows;
