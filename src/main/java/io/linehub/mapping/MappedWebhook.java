package io.linehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Another system's webhook as a notification (route template {@code mapped-webhook}, one local bean per instance):
 * the caller proves itself with a shared secret or an HMAC of the raw body in a header of its choosing (compared in
 * constant time), the JSON body is read strictly ({@code Json.readUntrusted}), and the mapping's JSONPath
 * expressions pick the fields. Refusals name the JSONPath (or the header) the caller sent; the hub's JSON error
 * ({@code api-errors}) answers them, never a 500 for anything the caller sent.
 */
public class MappedWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(MappedWebhook.class);
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER)).mappingProvider(new JacksonMappingProvider(Json.MAPPER))
            .options(Option.SUPPRESS_EXCEPTIONS).build();

    private String name = "";
    private String secret = "";
    private String signatureHeader = "X-Signature";
    private String algorithm = "HmacSHA256";
    private String encoding = "hex";
    private String signaturePrefix = "";
    private String type = "";
    private String mapping = "";
    private String timeZone = "";
    private String maxBytes = "65536";

    private FieldMapping fields;
    private final Map<String, JsonPath> paths = new HashMap<>();
    private byte[] key;
    private boolean shared;
    private int limit;

    /** Checks every parameter and compiles the JSONPaths (the bean's init method: a mistake fails the route's creation). */
    public void check() {
        ZoneId zone = null;
        if (!timeZone.isBlank()) {
            try {
                zone = ZoneId.of(timeZone.trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("timeZone '" + timeZone + "' is not a time zone (e.g. Asia/Tokyo)");
            }
        }
        fields = FieldMapping.parse(mapping, null, zone);
        if (type.isBlank() && fields.field("type") == null) {
            throw new IllegalArgumentException("webhook " + name + ": give type, or map type=$.path");
        }
        for (String s : fields.sources()) {
            try {
                paths.put(s, JsonPath.compile(s));
            } catch (InvalidPathException | IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook " + name + ": '" + s + "' is not a JSONPath (e.g. $.order.id): " + e.getMessage());
            }
        }
        if (name.startsWith("/api")) {
            throw new IllegalArgumentException("webhook path " + name + ": /api is the hub's API, where API keys are required; use e.g. /webhook/shop/fulfilled");
        }
        shared = algorithm.trim().equalsIgnoreCase("shared-secret");
        if (!shared) {
            try {
                Mac.getInstance(algorithm.trim());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("webhook " + name + ": algorithm '" + algorithm + "' is not HmacSHA256, HmacSHA1, HmacSHA512 or shared-secret");
            }
        }
        if (!encoding.equalsIgnoreCase("hex") && !encoding.equalsIgnoreCase("base64")) {
            throw new IllegalArgumentException("webhook " + name + ": encoding must be hex or base64");
        }
        limit = Integer.parseInt(maxBytes.trim());
        if (secret.isBlank()) {
            // fail closed: without a secret nobody can prove who they are, so every request is refused
            LOG.warn("webhook {}: no secret is configured; every request is refused with 401", name);
            key = null;
        } else {
            key = secret.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The route's first step: the body's size, then the signature (shared secret or HMAC over the raw bytes, before
     * anything is parsed), then the JSON. The body becomes the parsed document.
     */
    public void verify(Exchange exchange) {
        Message m = exchange.getMessage();
        byte[] body = m.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new RequestRejectedException("body", "is empty; send the JSON document");
        }
        if (body.length > limit) {
            throw new RequestRejectedException(RequestRejectedException.Kind.TOO_LARGE, "body", "is larger than " + limit + " bytes");
        }
        String given = m.getHeader(signatureHeader, String.class);
        if (given == null || given.isBlank()) {
            throw new RequestRejectedException(RequestRejectedException.Kind.UNAUTHENTICATED, signatureHeader, "is missing");
        }
        if (key == null || !MessageDigest.isEqual(expected(body), presented(given.trim()))) {
            throw new RequestRejectedException(RequestRejectedException.Kind.UNAUTHENTICATED, signatureHeader,
                    shared ? "is not the shared secret" : "does not match the body (" + algorithm + ")");
        }
        try {
            m.setBody(Json.readUntrusted(body));
        } catch (Json.UntrustedJsonException e) {
            throw new RequestRejectedException(e.field(), e.reason());
        }
    }

    private byte[] expected(byte[] body) {
        if (shared) {
            return key;
        }
        try {
            Mac mac = Mac.getInstance(algorithm.trim());
            mac.init(new SecretKeySpec(key, algorithm.trim()));
            return mac.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("webhook " + name + ": HMAC unavailable", e);
        }
    }

    /** The header's value as bytes to compare: the secret itself, or the decoded HMAC (undecodable: no match). */
    private byte[] presented(String value) {
        if (shared) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        String v = value;
        if (!signaturePrefix.isEmpty() && v.regionMatches(true, 0, signaturePrefix, 0, signaturePrefix.length())) {
            v = v.substring(signaturePrefix.length());
        }
        try {
            return encoding.equalsIgnoreCase("hex") ? HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT)) : Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** The document as the API's JSON for {@code direct:intake}, with an idempotency key (mapped, else the body's hash). */
    public void request(Exchange exchange) {
        Message m = exchange.getMessage();
        JsonNode doc = m.getBody(JsonNode.class);
        FieldMapping.Mapped mapped = fields.map(type.isBlank() ? null : type.trim(), f -> {
            JsonNode v = paths.get(f.source()).read(doc, JSON_PATH);
            if (v != null && v.isArray() && !f.source().endsWith("]") && !paths.get(f.source()).isDefinite()) {
                v = v.isEmpty() ? null : v.get(0); // a filter's first match
            }
            if (v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.asText().isBlank())) {
                return null;
            }
            return v;
        });
        String key = mapped.idempotencyKey() != null ? "webhook:" + name + ":" + mapped.idempotencyKey()
                : "webhook:" + name + ":" + sha256(Json.write(doc));
        m.removeHeaders("*");
        m.setHeader("Idempotency-Key", key.length() > 200 ? "webhook:" + name + ":" + sha256(key) : key);
        m.setBody(Json.write(mapped.request()).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Intake refused: the refusal the hub's JSON error will answer (the route's next step, {@code apiErrors.respond}),
     * naming the caller's JSONPath instead of the hub's field where the mapping has one.
     */
    public void refused(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (e instanceof RequestRejectedException rr) {
            String source = fields.sourceOf(rr.field());
            if (source != null) {
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RequestRejectedException(rr.kind(), source, rr.reason()));
            }
            return;
        }
        io.linehub.intake.IntakeRejection why = io.linehub.intake.IntakeRejection.of(e);
        String source = fields.sourceOf(why.field());
        if (source != null && "invalid_request".equals(why.error())) { // the template's data checks: a 400 as before
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RequestRejectedException(source, why.reason()));
        }
    }

    // ------------------------------------------------------------------ the template's parameters (bean properties)

    public void setName(String name) {
        this.name = name;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public void setSignatureHeader(String signatureHeader) {
        this.signatureHeader = signatureHeader.trim();
    }

    public void setAlgorithm(String algorithm) {
        this.algorithm = algorithm;
    }

    public void setEncoding(String encoding) {
        this.encoding = encoding.trim();
    }

    public void setSignaturePrefix(String signaturePrefix) {
        this.signaturePrefix = signaturePrefix;
    }

    public void setType(String type) {
        this.type = type;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public void setMaxBytes(String maxBytes) {
        this.maxBytes = maxBytes;
    }
}
