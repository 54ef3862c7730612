package io.linehub.line;

/** A webhook whose {@code x-line-signature} is missing or does not match the body: it did not come from LINE. */
public class LineSignatureException extends RuntimeException {
    public LineSignatureException(String reason) {
        super(reason);
    }
}
