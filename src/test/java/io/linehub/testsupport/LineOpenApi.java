package io.linehub.testsupport;

import io.linehub.sandbox.LineSchemas;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates requests the hub sends to LINE against LINE's official OpenAPI files
 * (copied unchanged to src/main/resources/line-openapi/) and the hub's pnp-templated fragment.
 * Delegates to {@link LineSchemas}, the validator the sandbox itself runs on every request.
 */
public final class LineOpenApi {

    private LineOpenApi() {
    }

    /** The spec that describes a path: template LON lives in pnp-templated.yml, the rest in messaging-api.yml. */
    static String specFor(String path) {
        return LineSchemas.specFor(path);
    }

    /**
     * Validates one request.
     *
     * @param method  HTTP method
     * @param path    path without host (query string allowed)
     * @param headers request headers (Authorization, Content-Type, X-Line-…)
     * @param body    the JSON body, or null
     * @return the error messages ("key: message …"); empty when the request is valid
     */
    public static List<String> validate(String method, String path, Map<String, String> headers, String body) {
        return LineSchemas.validate(method, path, headers, body).stream()
                .map(LineSchemas.Violation::detail)
                .collect(Collectors.toList());
    }
}
