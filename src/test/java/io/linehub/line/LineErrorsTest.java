package io.linehub.line;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class LineErrorsTest {

    @Test
    void twoHundredsAndAcceptedRetryKeyConflictAreSuccess() {
        assertThat(LineErrors.isSuccess(200, null)).isTrue();
        assertThat(LineErrors.isSuccess(202, null)).isTrue();
        assertThat(LineErrors.isSuccess(409, "abc")).isTrue();
        assertThat(LineErrors.isSuccess(409, null)).isFalse();
        assertThat(LineErrors.isSuccess(422, null)).isFalse();
    }

    @Test
    void classifiesLinesStatusCodes() {
        for (int status : new int[]{400, 401, 403, 404, 413, 415, 422}) {
            assertThat(LineErrors.classify(status, null)).as("%d", status).isEqualTo(LineErrorKind.FINAL);
        }
        assertThat(LineErrors.classify(429, "Too many requests")).isEqualTo(LineErrorKind.RETRYABLE);
        assertThat(LineErrors.classify(500, null)).isEqualTo(LineErrorKind.RETRYABLE);
        assertThat(LineErrors.classify(503, null)).isEqualTo(LineErrorKind.RETRYABLE);
        assertThat(LineErrors.classify(429, "You have reached your monthly limit.")).isEqualTo(LineErrorKind.QUOTA_EXHAUSTED);
    }

    @Test
    void readsLinesErrorBodyWithDetails() {
        LineApiException e = LineErrors.fromResponse(400, "{\"message\":\"The request body has 1 error(s)\",\"details\":"
                + "[{\"message\":\"The value must be a valid SHA-256 digest.\",\"property\":\"to\"}]}", "req-1");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.lineMessage()).isEqualTo("The request body has 1 error(s)");
        assertThat(e.details()).containsExactly(new LineApiException.Detail("to", "The value must be a valid SHA-256 digest."));
        assertThat(e.lineRequestId()).isEqualTo("req-1");
        assertThat(e.getMessage()).contains("400").contains("SHA-256");
    }

    @Test
    void aNonJsonBodyStillClassifiesByStatus() {
        LineApiException e = LineErrors.fromResponse(502, "<html>Bad gateway</html>", null);
        assertThat(e.kind()).isEqualTo(LineErrorKind.RETRYABLE);
        assertThat(e.lineMessage()).isNull();
    }

    @Test
    void connectionRefusedIsCertainlyNotSentButATimeoutMayHaveBeen() {
        LineApiException refused = LineErrors.fromFailure(new java.io.IOException(new ConnectException("Connection refused")));
        assertThat(refused.certainlyNotSent()).isTrue();
        assertThat(refused.kind()).isEqualTo(LineErrorKind.RETRYABLE);
        LineApiException connectTimeout = LineErrors.fromFailure(new io.netty.channel.ConnectTimeoutException("connection timed out: api.line.me"));
        assertThat(connectTimeout.certainlyNotSent()).as("Vert.x's connect timeout").isTrue();
        LineApiException unresolved = LineErrors.fromFailure(new RuntimeException(new java.net.UnknownHostException("Failed to resolve 'api.line.me'")));
        assertThat(unresolved.certainlyNotSent()).as("LINE's host name not resolved").isTrue();
        assertThat(unresolved.getMessage()).doesNotContain("api.line.me").contains("connection failed before sending");
        LineApiException timeout = LineErrors.fromFailure(new HttpTimeoutException("request timed out"));
        assertThat(timeout.certainlyNotSent()).isFalse();
        assertThat(timeout.kind()).isEqualTo(LineErrorKind.RETRYABLE);
    }
}
