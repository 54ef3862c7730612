package io.linehub.api;

import io.linehub.auth.ApiKeyRejectedException;
import io.linehub.auth.KeyNotRevocableException;
import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;
import io.linehub.line.LineSignatureException;
import io.linehub.line.UnknownChannelException;
import io.linehub.outbox.IdempotencyConflictException;
import io.linehub.template.InvalidNotificationDataException;
import io.linehub.template.MissingTemplateKeyException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns what went wrong in an HTTP route into the hub's JSON error:
 * {@code {"status":400,"error":"invalid_request","field":"to.phone","reason":"…","message":"to.phone: …"}}.
 * The domain refuses in its own words ({@link RequestRejectedException.Kind}); only here do they become HTTP statuses.
 */
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** The HTTP status of a refusal of this kind: the one place a kind becomes a status. */
    public static int status(RequestRejectedException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case CONFLICT -> 409;
            case UNREACHABLE, NOT_APPROVED -> 422;
            case UNAUTHENTICATED -> 401;
        };
    }

    /** The {@code error} word of the JSON error for a refusal of this kind. */
    static String error(RequestRejectedException.Kind kind) {
        return switch (kind) {
            case TOO_LARGE -> "payload_too_large";
            case CONFLICT -> "conflict";
            case UNREACHABLE -> "unprocessable";
            case NOT_APPROVED -> "not_approved";
            case UNAUTHENTICATED -> "unauthorized";
            case INVALID, UNSUPPORTED_FORMAT -> "invalid_request";
        };
    }

    public void respond(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String error;
        String field = null;
        String reason;
        boolean challenge = false;
        if (e instanceof ApiKeyRejectedException ak) {
            // 401: no key or not a valid one; 403: a valid key without the scope. Neither says anything of the resource.
            challenge = ak.reason() != ApiKeyRejectedException.Reason.MISSING_SCOPE;
            status = challenge ? 401 : 403;
            error = challenge ? "unauthorized" : "forbidden";
            field = "Authorization";
            reason = ak.getMessage();
        } else if (e instanceof KeyNotRevocableException kn) {
            status = 409;
            error = "conflict";
            field = "id";
            reason = kn.getMessage();
        } else if (e instanceof RequestRejectedException rr) {
            status = status(rr.kind());
            error = error(rr.kind());
            field = rr.field();
            reason = rr.reason();
        } else if (e instanceof InvalidNotificationDataException nd) {
            status = 400;
            error = "invalid_request";
            field = nd.field();
            reason = nd.reason();
        } else if (e instanceof MissingTemplateKeyException mk) {
            status = 422;
            error = "not_configured";
            field = "type";
            reason = mk.getMessage();
        } else if (e instanceof IdempotencyConflictException ic) {
            status = 422;
            error = "idempotency_key_reused";
            field = "Idempotency-Key";
            reason = ic.getMessage();
        } else if (e instanceof LineSignatureException ls) {
            status = 401;
            error = "invalid_signature";
            field = "x-line-signature";
            reason = ls.getMessage();
        } else if (e instanceof UnknownChannelException uc) {
            status = 404;
            error = "unknown_channel";
            field = "channel";
            reason = uc.getMessage();
        } else if (e instanceof NotFoundException nf) {
            status = 404;
            error = "not_found";
            reason = nf.getMessage();
        } else {
            status = 500;
            error = "internal_error";
            String ref = UUID.randomUUID().toString();
            reason = "the hub could not complete the request; reference " + ref;
            LOG.error("request failed, reference {}: {}", ref, e == null ? "unknown" : e.toString(), e);
        }
        exchange.getMessage().removeHeaders("*", "channel");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (challenge) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"line-notification-hub\"");
        }
        exchange.getMessage().setBody(body(status, error, field, reason));
    }

    /** The API's error body: {@code {"status","error","field","reason","message"}}, the one shape every error has. */
    static String body(int status, String error, String field, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        body.put("reason", reason);
        body.put("message", field == null ? reason : field + ": " + reason);
        return Json.write(body);
    }
}
