package io.linehub.api;

public class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what);
    }
}
