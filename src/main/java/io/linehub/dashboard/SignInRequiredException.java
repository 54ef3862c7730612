package io.linehub.dashboard;

/** The request has no live session (or its key was revoked): the browser is sent to the sign-in form. */
public class SignInRequiredException extends RuntimeException {

    public SignInRequiredException() {
        super("sign in with an API key", null, false, false);
    }
}
