package io.linehub.line.model;

import java.util.List;

/** Answer of push: the messages sent ({@code id} is a string: it exceeds 2^53). */
public record PushMessageResponse(List<SentMessage> sentMessages) {

    public record SentMessage(String id, String quoteToken) {
    }
}
