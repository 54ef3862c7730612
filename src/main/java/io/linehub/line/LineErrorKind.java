package io.linehub.line;

/** What the delivery engine should do after LINE's answer. */
public enum LineErrorKind {
    /** Try again later (429 rate limit, 5xx, connection failure). */
    RETRYABLE,
    /** Do not retry: the request is wrong or the recipient unreachable (400, 401, 403, 404, 413, 415, 422). */
    FINAL,
    /** 429 "You have reached your monthly limit.": pause the channel instead of retrying. */
    QUOTA_EXHAUSTED
}
