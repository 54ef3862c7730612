package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends the message body (LINE's request JSON) to LINE without blocking a thread while LINE answers.
 * Success: the body becomes LINE's answer and the Line* headers are set. Failure: a {@link LineApiException}.
 */
public class LineProducer extends DefaultAsyncProducer {

    private final LineEndpoint endpoint;

    public LineProducer(LineEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpRequest request;
        try {
            request = buildRequest(exchange.getMessage());
        } catch (RuntimeException | org.apache.camel.InvalidPayloadException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        endpoint.getComponent().httpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .whenComplete((response, failure) -> {
                    try {
                        if (failure != null) {
                            exchange.setException(LineErrors.fromFailure(failure));
                        } else {
                            handleResponse(exchange, response);
                        }
                    } catch (RuntimeException e) {
                        exchange.setException(e);
                    } finally {
                        callback.done(false);
                    }
                });
        return false;
    }

    private HttpRequest buildRequest(Message in) throws org.apache.camel.InvalidPayloadException {
        LineOperation op = endpoint.getOperation();
        String channelName = in.getHeader(LineConstants.CHANNEL, endpoint.getChannel(), String.class);
        LineChannel channel = endpoint.getComponent().getChannels().get(channelName);
        Object body = in.getBody();
        String json = body instanceof JsonNode node ? Json.write(node) : in.getMandatoryBody(String.class);

        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stripSlash(channel.baseUrl().toString()) + op.path()))
                .timeout(Duration.ofMillis(endpoint.getRequestTimeout()))
                .header("Authorization", "Bearer " + channel.accessToken())
                .header("Content-Type", "application/json")
                .method(op.method(), HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));

        String tag = in.getHeader(LineConstants.DELIVERY_TAG, String.class);
        if (tag != null && op.deliveryTagSupported()) {
            if (tag.length() < 16 || tag.length() > 100) {
                throw new IllegalArgumentException("X-Line-Delivery-Tag must be 16 to 100 characters, was " + tag.length());
            }
            b.header("X-Line-Delivery-Tag", tag);
        }
        String retryKey = in.getHeader(LineConstants.RETRY_KEY, String.class);
        if (retryKey != null) {
            if (!op.retryKeySupported()) {
                throw new IllegalArgumentException("LINE does not accept X-Line-Retry-Key on " + op.uriName());
            }
            b.header("X-Line-Retry-Key", retryKey);
        }
        return b.build();
    }

    private static void handleResponse(Exchange exchange, HttpResponse<String> response) {
        Message out = exchange.getMessage();
        int status = response.statusCode();
        String requestId = response.headers().firstValue("x-line-request-id").orElse(null);
        String acceptedId = response.headers().firstValue("x-line-accepted-request-id").orElse(null);
        out.setHeader(LineConstants.HTTP_STATUS, status);
        out.setHeader(LineConstants.REQUEST_ID, requestId);
        if (acceptedId != null) {
            out.setHeader(LineConstants.ACCEPTED_REQUEST_ID, acceptedId);
        }
        if (LineErrors.isSuccess(status, acceptedId)) {
            out.setBody(response.body());
        } else {
            exchange.setException(LineErrors.fromResponse(status, response.body(), requestId));
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
