package io.linehub.phone;

/** A phone number that cannot be used; the message is a reason and never contains the number. */
public class InvalidPhoneNumberException extends RuntimeException {
    public InvalidPhoneNumberException(String reason) {
        super(reason);
    }
}
