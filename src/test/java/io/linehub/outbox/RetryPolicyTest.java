package io.linehub.outbox;

import io.linehub.line.LineApiException;
import io.linehub.line.LineErrorKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What LINE's answers do to a notification, without a database. */
class RetryPolicyTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private final RetryPolicy policy = new RetryPolicy(3);

    private static OutboxEntry entry(String operation, int attempt) {
        return new OutboxEntry("n-1", "default", operation, "{}", null, attempt, NOW.toInstant(), "rk", null);
    }

    private static LineApiException line(int status, LineErrorKind kind, boolean certainlyNotSent) {
        return new LineApiException(status, "msg", List.of(), "req-1", kind, certainlyNotSent, null);
    }

    private RetryPolicy.Decision failed(String operation, int attempt, Throwable failure) {
        return policy.decide(Outcome.failed(entry(operation, attempt), Instant.now(), failure), NOW);
    }

    @Test
    void anAcceptedRequestIsSentWithLinesRequestId() {
        RetryPolicy.Decision d = policy.decide(Outcome.sent(entry("push", 1), Instant.now(), 200, "req-9"), NOW);
        assertThat(d.next()).isEqualTo(NotificationStatus.SENT);
        assertThat(d.lineRequestId()).isEqualTo("req-9");
        assertThat(d.httpStatus()).isEqualTo(200);
        assertThat(d.reason()).isNull();
        assertThat(d.retryAt()).isNull();
        assertThat(d.pauseReason()).isNull();
    }

    @Test
    void theHistoryOfAnAcceptedBatchOrNarrowcastSaysWhatItWas() {
        OutboxEntry batch = new OutboxEntry("b-1", "default", "multicast", "{}", null, 1, NOW.toInstant(), "rk", List.of("a", "b"));
        assertThat(policy.decide(Outcome.sent(batch, Instant.now(), 200, "r"), NOW).historyReason()).isEqualTo("multicast of 2");
        assertThat(policy.decide(Outcome.sent(entry("narrowcast", 1), Instant.now(), 202, "r"), NOW).historyReason())
                .isEqualTo("narrowcast accepted; progress is polled");
    }

    @Test
    void aRetryableFailureWaitsWithBackoffUntilTheLastAttemptFails() {
        RetryPolicy.Decision d = failed("push", 1, line(500, LineErrorKind.RETRYABLE, false));
        assertThat(d.next()).isEqualTo(NotificationStatus.RETRY_WAIT);
        assertThat(d.retryAt()).isBetween(NOW.plus(Duration.ofMillis(500)), NOW.plusSeconds(1));
        assertThat(d.httpStatus()).isEqualTo(500);

        RetryPolicy.Decision last = failed("push", 3, line(500, LineErrorKind.RETRYABLE, false));
        assertThat(last.next()).isEqualTo(NotificationStatus.FAILED);
        assertThat(last.reason()).startsWith("gave up after 3 attempts: ");
        assertThat(last.retryAt()).isNull();
    }

    @Test
    void aFinalRefusalFails() {
        assertThat(failed("push", 1, line(400, LineErrorKind.FINAL, true)).next()).isEqualTo(NotificationStatus.FAILED);
    }

    @Test
    void aLineNotificationMessageThatMayHaveReachedLineIsUncertainNotResent() {
        assertThat(failed("pnp-template", 1, line(0, LineErrorKind.RETRYABLE, false)).next()).isEqualTo(NotificationStatus.UNCERTAIN);
        assertThat(failed("pnp-template", 1, line(0, LineErrorKind.RETRYABLE, false)).httpStatus()).isNull();
        assertThat(failed("pnp-template", 1, line(503, LineErrorKind.RETRYABLE, true)).next()).isEqualTo(NotificationStatus.RETRY_WAIT);
    }

    @Test
    void theMonthlyLimitWaitsAnHourAndPausesTheChannel() {
        RetryPolicy.Decision d = failed("push", 1, line(429, LineErrorKind.QUOTA_EXHAUSTED, true));
        assertThat(d.next()).isEqualTo(NotificationStatus.RETRY_WAIT);
        assertThat(d.retryAt()).isEqualTo(NOW.plusHours(1));
        assertThat(d.pauseReason()).startsWith("LINE's monthly message limit is reached: ").contains("msg");
    }

    @Test
    void aFailureThatIsNotLinesAnswerFails() {
        RetryPolicy.Decision d = failed("push", 1, new IllegalStateException("no channel"));
        assertThat(d.next()).isEqualTo(NotificationStatus.FAILED);
        assertThat(d.reason()).isEqualTo("could not send: no channel");
        assertThat(d.httpStatus()).isNull();
    }

    @Test
    void backoffDoublesWithJitterUpToFiveMinutes() {
        for (int i = 0; i < 200; i++) {
            assertThat(RetryPolicy.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(RetryPolicy.backoff(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(RetryPolicy.backoff(30)).isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
        }
    }
}
