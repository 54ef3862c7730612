package io.linehub.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP request the sandbox received on a LINE endpoint (also the rejected ones), with the answer it gave.
 *
 * @param at            arrival time (from the configured clock)
 * @param channel       name of the channel whose token was sent; null if the token was missing or unknown
 * @param method        HTTP method
 * @param path          path including the query string
 * @param headers       request headers (case-insensitive keys; repeated headers joined with ", ");
 *                      the Authorization value is replaced by {@code "Bearer ***"}
 * @param body          request body as UTF-8 text ("" when none; null when refused for size before reading)
 * @param status        HTTP status answered
 * @param responseBody  JSON body answered
 * @param lineRequestId the {@code x-line-request-id} answered
 */
public record RecordedRequest(Instant at, String channel, String method, String path, Map<String, String> headers,
                              String body, int status, String responseBody, String lineRequestId) {
}
