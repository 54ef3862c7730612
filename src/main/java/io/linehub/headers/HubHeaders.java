package io.linehub.headers;

/**
 * The hub's own exchange headers and properties: one home for their names, which the routes' YAML uses too
 * ({@code ${header.HubLineOperation}}, {@code :#HubErpId}, …). The {@code line:} component's headers are in
 * {@code io.linehub.line.LineConstants}. A header travels with the message (and may reach an endpoint); a property
 * stays on the exchange. None may ever hold a phone number in clear.
 */
public final class HubHeaders {

    // ---------------------------------------------------------------------------------------------- intake

    /** Header the customer lookup reads (the SQL's {@code :#customerId} in routes/intake.camel.yaml). */
    public static final String CUSTOMER_ID = "customerId";
    /** Header the customer lookup writes: the customer's row as a map, or null. */
    public static final String CUSTOMER_ROW = "HubCustomer";
    /** Header (a fact the channel policy reads): the delivery kind the request asked for ({@code via}: auto, template, flex, push, …). */
    public static final String VIA = "HubVia";
    /** Property (a fact the channel routing reads, then its outcome): the LINE channel named in the request, else the one routing chose. */
    public static final String LINE_CHANNEL = "HubLineChannel";
    /** Property (fact for channel routing): the recipient's country (of the phone number, else the customer's country_code), or null. */
    public static final String RECIPIENT_COUNTRY = "HubRecipientCountry";
    /** Property (fact for channel routing): the notification type. */
    public static final String NOTIFICATION_TYPE = "HubNotificationType";
    /** Header (fact): a LINE user ID is known and may be pushed to (the customer follows the channel, or the request gave it). */
    public static final String FRIEND = "HubFriend";
    /** Header (fact): the request named an audience (narrowcast). */
    public static final String AUDIENCE = "HubAudience";
    /** Header (fact): the request listed user IDs (multicast). */
    public static final String USER_IDS = "HubUserIds";
    /** Header (fact): a LINE notification message can reach the number (E.164 from JP, TH or TW). */
    public static final String LON_REACHABLE = "HubLonReachable";
    /** Header (fact): LINE approved the sending channel for flexible LINE notification messages (flexibleApproved / LINE_CHANNEL_FLEXIBLE_APPROVED). */
    public static final String FLEX_APPROVED = "HubFlexApproved";
    /** Property (fact): the recipient form the request used: customerId, phone, userId, userIds, audienceGroupId or none. */
    public static final String RECIPIENT = "HubRecipient";
    /** Property (fact): a LINE user ID is known (given, or the customer's), friend or not. */
    public static final String USER_ID_KNOWN = "HubUserIdKnown";
    /** Property (fact): why a LINE notification message cannot reach the recipient, or null when it can. Never the number. */
    public static final String PHONE_PROBLEM = "HubPhoneProblem";
    /** Property: the {@code IntakeBatch} a trigger has intake add the notification to instead of storing it at once. */
    public static final String INTAKE_BATCH = "HubIntakeBatch";

    // ---------------------------------------------------------------------------------------------- triggers

    /** Property: the batch API's per-item results. */
    public static final String BATCH_RESULTS = "HubBatchResults";
    /** Property: the index of the batch item being taken in. */
    public static final String BATCH_INDEX = "HubBatchIndex";
    /** Property: the batch request's Idempotency-Key, from which each item's key is derived. */
    public static final String BATCH_KEY = "HubBatchKey";
    /** Property: the inbox file being read (its run: batch, report, progress). */
    public static final String INBOX_RUN = "HubInboxRun";
    /** Property: the row number of the inbox row being taken in. */
    public static final String INBOX_ROW_NUMBER = "HubInboxRowNumber";
    /** Property the inbox route's {@code move} option reads: {@code .done/<name>} or {@code .failed/<name>} (a refused file). */
    public static final String INBOX_MOVE_TO = "HubInboxMoveTo";
    /** Property the inbox route's {@code moveFailed} option reads: the file's name in .failed/ (stamped, short enough for the file system). */
    public static final String INBOX_ARCHIVE_NAME = "HubInboxArchiveName";
    /** Property: the inbox file changed while it was read and nothing of it was stored yet: the route reads it again. */
    public static final String INBOX_REREAD = "HubInboxReread";
    /** Property: the inbox file's {@code RowReader} when not the default one (a mapped inbox: its charset, columns, mapping). */
    public static final String INBOX_ROW_READER = "HubInboxRowReader";
    /** Property: a mapped SQL poll's batch (its connection and open transaction, committed after the last row). */
    public static final String SQL_POLL_BATCH = "HubSqlPollBatch";
    /** Property: the mapped SQL poll's row being taken in (its columns are the statements' :#names). */
    public static final String SQL_POLL_ROW = "HubSqlPollRow";
    /** Header the ERP write-back SQL reads: the request row's id. */
    public static final String ERP_ID = "HubErpId";
    /** Header the ERP write-back SQL reads: why the request was refused, field and reason. */
    public static final String REJECT_FIELD = "HubRejectField";
    public static final String REJECT_REASON = "HubRejectReason";
    /** Headers a scheduled job's query reads: the occurrence (java.sql.Timestamp) and its target date (java.sql.Date). */
    public static final String OCCURRENCE = "HubOccurrence";
    public static final String TARGET_DATE = "HubTargetDate";
    /** Property: the scheduled job's firing being run (its counts for the summary). */
    public static final String SCHEDULE_RUN = "HubScheduleRun";
    /** Property: the notification as parsed at intake (its type and channel label the intake's meters). */
    public static final String INTAKE_NOTIFICATION = "HubIntakeNotification";

    // ---------------------------------------------------------------------------------------------- delivery

    /** Header: the notification's id (delivery, the ERP write-back, the API's path). */
    public static final String NOTIFICATION_ID = "HubNotificationId";
    /** Header: the {@code line:} operation to call ({@code toD line:${header.HubLineOperation}}). */
    public static final String LINE_OPERATION = "HubLineOperation";
    /** Header: how many recipients a claimed entry has (a packed multicast has many). */
    public static final String RECIPIENTS = "HubRecipients";
    /** Property: the claimed outbox entry. */
    public static final String OUTBOX_ENTRY = "HubOutboxEntry";
    /** Property: when the attempt started. */
    public static final String ATTEMPT_STARTED_AT = "HubAttemptStartedAt";
    /** Headers for the throttle: the requests per second allowed, and the channel:operation it is counted under. */
    public static final String RATE_BUDGET = "HubRateBudget";
    public static final String RATE_KEY = "HubRateKey";
    /** Property: the entry's in-flight slot was given back (so it is given back once). */
    public static final String CLAIM_RELEASED = "HubClaimReleased";

    // ---------------------------------------------------------------------------------------------- API keys

    /** Property: the API key ({@code io.linehub.auth.ApiKey}: id, name, scopes, never the secret) that authorised the request. */
    public static final String API_KEY = "HubApiKey";
    /** Property: the target of an admin action, for its audit record (set in the route before the action's answer replaces the headers). */
    public static final String AUDIT_TARGET = "HubAuditTarget";
    /** Property: the dashboard session ({@code io.linehub.dashboard.DashboardSessions.Session}) that signed the request in. */
    public static final String DASHBOARD_SESSION = "HubDashboardSession";

    private HubHeaders() {
    }
}
