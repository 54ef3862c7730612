package io.linehub.line;

/** A webhook or request named a LINE channel the hub does not have (the name is not repeated: it came from outside). */
public class UnknownChannelException extends RuntimeException {
    public UnknownChannelException() {
        super("no LINE channel with this name is configured");
    }
}
