package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;

/** The one place that decides what LINE's answers mean. */
public final class LineErrors {

    static final String MONTHLY_LIMIT_MESSAGE = "You have reached your monthly limit.";

    private LineErrors() {
    }

    /** Whether a status means LINE accepted the request; 409 with an accepted request id means "already sent". */
    public static boolean isSuccess(int status, String acceptedRequestId) {
        return (status >= 200 && status < 300) || (status == 409 && acceptedRequestId != null);
    }

    public static LineErrorKind classify(int status, String lineMessage) {
        if (status == 429) {
            return lineMessage != null && lineMessage.contains(MONTHLY_LIMIT_MESSAGE) ? LineErrorKind.QUOTA_EXHAUSTED : LineErrorKind.RETRYABLE;
        }
        if (status >= 500) {
            return LineErrorKind.RETRYABLE;
        }
        return LineErrorKind.FINAL;
    }

    /** Builds the exception for a non-success answer; LINE's body is read leniently (any JSON, or none). */
    public static LineApiException fromResponse(int status, String body, String lineRequestId) {
        String message = null;
        List<LineApiException.Detail> details = new ArrayList<>();
        try {
            JsonNode json = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
            if (json != null && json.isObject()) {
                message = json.path("message").isTextual() ? json.get("message").asText() : null;
                for (JsonNode d : json.path("details")) {
                    details.add(new LineApiException.Detail(
                            d.path("property").isTextual() ? d.get("property").asText() : null,
                            d.path("message").isTextual() ? d.get("message").asText() : null));
                }
            }
        } catch (Exception notJson) {
            message = null; // 5xx bodies from proxies are often HTML: the status decides
        }
        return new LineApiException(status, message, details, lineRequestId, classify(status, message), false, null);
    }

    /** Builds the exception for a request that got no answer. */
    public static LineApiException fromFailure(Throwable failure) {
        Throwable cause = failure;
        // no connection, so nothing sent: refused or timed out while connecting (Netty's ConnectTimeoutException is a
        // ConnectException), or LINE's host name not resolved
        while (cause.getCause() != null && !certainlyNotSent(cause)) {
            cause = cause.getCause();
        }
        boolean notSent = certainlyNotSent(cause);
        String what = notSent ? "connection failed before sending" : "no answer (" + cause.getClass().getSimpleName() + ")";
        return new LineApiException(0, what, List.of(), null, LineErrorKind.RETRYABLE, notSent, failure);
    }

    private static boolean certainlyNotSent(Throwable t) {
        return t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException;
    }
}
