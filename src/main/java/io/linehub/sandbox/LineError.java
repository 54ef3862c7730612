package io.linehub.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * LINE's error body (README §1 "Error body"): {@code {"message":..., "details":[{"message":..., "property":...}]}};
 * {@code details} omitted when empty.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record LineError(String message, List<Detail> details) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Detail(String message, String property) {
    }

    static LineError of(String message) {
        return new LineError(message, List.of());
    }

    /** "The request body has N error(s)" with one detail per error (README §1). */
    static LineError bodyErrors(List<Detail> details) {
        return new LineError("The request body has " + details.size() + " error(s)", List.copyOf(details));
    }
}
