package io.linehub.api;

import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What every API route checks before and answers after its work: the request's media type (compared as RFC 9110
 * says, case-insensitive and exactly, parameters aside) and a 202 that carries only the headers docs/api.md names —
 * never the exchange's own headers (customer id, friend status…), which platform-http would otherwise send back.
 */
public class ApiRequests {

    /** The media type of a Content-Type value, lower-case, without parameters: {@code APPLICATION/JSON; charset=utf-8} → {@code application/json}. */
    public static String mediaType(Object contentType) {
        if (contentType == null) {
            return "";
        }
        String s = contentType.toString();
        int semi = s.indexOf(';');
        return (semi < 0 ? s : s.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** {@code Content-Type} must be application/json (any case, any parameters); otherwise 415 naming the header. */
    public void requireJson(Exchange exchange) {
        if (!"application/json".equals(mediaType(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)))) {
            throw new RequestRejectedException(RequestRejectedException.Kind.UNSUPPORTED_FORMAT, "Content-Type", "must be application/json");
        }
    }

    /** {@code 202 {"id","status"}} with {@code Location}; every other header is dropped. */
    public void accepted(Exchange exchange) {
        Message m = exchange.getMessage();
        Object body = m.getBody();
        String id;
        String status;
        if (body instanceof io.linehub.outbox.EnqueueResult r) {
            id = r.id();
            status = r.status().name();
        } else {
            throw new IllegalStateException("intake answered " + (body == null ? "nothing" : body.getClass().getName()));
        }
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Location", "/api/notifications/" + id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", status);
        m.setBody(Json.write(answer));
    }
}
