package io.linehub.line.model;

import java.util.List;

/** LINE's error body. */
public record ErrorResponse(String message, List<Detail> details) {

    public record Detail(String message, String property) {
    }
}
