package io.linehub.line;

/** A webhook or request named a LINE channel the hub does not have. */
public class UnknownChannelException extends RuntimeException {
    public UnknownChannelException(String name) {
        super("no LINE channel named '" + name + "' is configured");
    }
}
