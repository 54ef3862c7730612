package io.linehub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.customer.CustomerCache;
import io.linehub.headers.HubHeaders;
import io.linehub.line.LineOperation;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code direct:intake-chunk} (routes/intake.camel.yaml): the intake of a file's rows a chunk at a time (the rows of
 * one checkpoint), with the same steps as {@code direct:intake} takes for one request, in a loop instead of a route
 * per row. What is decided is still decided by the routes: the channel routing rule
 * ({@code direct:channel-routing}) and the channel policy ({@code direct:channel-policy}) are asked once per distinct
 * set of the facts they read ({@link DecisionFacts}) in the chunk, and their answer is applied to every row with
 * those facts; an edited rule changes file rows exactly as it changes API requests. The customer look-up
 * ({@code direct:customer-lookup}) is asked once per customer the cache does not hold.
 * <p>
 * Each row succeeds or fails alone: its outcome is its slot in the trigger's {@link IntakeBatch}, or the exception
 * that refused it (as {@code direct:intake} would have thrown it). Each row is counted in {@link IntakeMetrics} as if
 * it had passed {@code direct:intake}, under the trigger's route id. One chunk at a time per exchange.
 */
public class IntakeChunk {

    /** One row's request: the notification in the API's JSON form and its idempotency key. */
    public record Request(JsonNode request, String idempotencyKey) {
    }

    /** What became of one row: its slot in the batch, or why it was refused (then {@code slot} is null). */
    public record Outcome(IntakeBatch.Slot slot, RuntimeException refusal) {
    }

    /**
     * A question to a deciding route for a chunk: the facts (put on a fresh exchange whose body is this question) and,
     * once the route has run, its answer as the outcome bean noted it ({@link ChannelRouting}, {@link PayloadPlanner})
     * or the exception it ended with.
     */
    static final class Question {
        private final DecisionFacts.Routing routing;
        String channel;
        LineOperation operation;
        String reason;
        RuntimeException failure;

        Question(DecisionFacts.Routing routing) {
            this.routing = routing;
        }

        DecisionFacts.Routing routing() {
            return routing;
        }

        void answer(String lineChannel) {
            this.channel = lineChannel;
        }

        void answer(LineOperation lineOperation, String why) {
            this.operation = lineOperation;
            this.reason = why;
        }
    }

    private final NotificationParser parser;
    private final RecipientFacts recipients;
    private final PayloadPlanner planner;
    private final ChannelFacts channelFacts;
    private final SendSchedule schedule;
    private final IntakeMetrics metrics;
    private final CustomerCache customers;
    private final ProducerTemplate routes;

    public IntakeChunk(NotificationParser parser, RecipientFacts recipients, PayloadPlanner planner, ChannelFacts channelFacts,
                       SendSchedule schedule, IntakeMetrics metrics, CustomerCache customers, ProducerTemplate routes) {
        this.parser = parser;
        this.recipients = recipients;
        this.planner = planner;
        this.channelFacts = channelFacts;
        this.schedule = schedule;
        this.metrics = metrics;
        this.customers = customers;
        this.routes = routes;
    }

    /**
     * The chunk's requests (the body) into the trigger's batch ({@link HubHeaders#INTAKE_BATCH}); the body becomes
     * the rows' {@link Outcome}s, in order.
     */
    @SuppressWarnings("unchecked")
    public List<Outcome> take(Exchange exchange) throws InvalidPayloadException {
        List<Request> requests = exchange.getMessage().getMandatoryBody(List.class);
        IntakeBatch batch = exchange.getProperty(HubHeaders.INTAKE_BATCH, IntakeBatch.class);
        if (batch == null) {
            throw new IllegalStateException("direct:intake-chunk needs the trigger's batch (" + HubHeaders.INTAKE_BATCH + ")");
        }
        int size = requests.size();
        PendingNotification[] parsed = new PendingNotification[size];
        RuntimeException[] refused = new RuntimeException[size];
        for (int i = 0; i < size; i++) {
            try {
                parsed[i] = parser.parseRow(requests.get(i).request(), requests.get(i).idempotencyKey());
            } catch (RuntimeException e) {
                refused[i] = e;
            }
        }
        Map<String, Object> customerRows = lookUpCustomers(exchange, parsed);
        Map<DecisionFacts.Routing, Question> routed = new HashMap<>();
        Map<DecisionFacts.Policy, Question> decided = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            PendingNotification n = parsed[i];
            IntakeBatch.Slot slot = null;
            if (refused[i] == null) {
                try {
                    slot = batch.add(NotificationIntake.toOutbox(intake(exchange, n, customerRows, routed, decided)));
                } catch (RuntimeException e) {
                    refused[i] = e;
                }
            }
            metrics.count(exchange.getFromRouteId(), n, refused[i] == null, 1);
            outcomes.add(new Outcome(slot, refused[i]));
        }
        exchange.getMessage().setBody(outcomes);
        return outcomes;
    }

    /** The steps of direct:intake after parsing, for one row; the routes' answers are remembered for the chunk. */
    @SuppressWarnings("unchecked")
    private PendingNotification intake(Exchange exchange, PendingNotification n, Map<String, Object> customerRows,
                                       Map<DecisionFacts.Routing, Question> routed, Map<DecisionFacts.Policy, Question> decided) {
        if (n.customerId != null) {
            Object row = customerRows.get(n.customerId);
            if (row instanceof RuntimeException e) {
                throw e;
            }
            recipients.applyCustomerRow(n, (Map<String, Object>) row);
        }
        planner.validate(n);
        recipients.resolve(n);
        Question route = routed.computeIfAbsent(DecisionFacts.routing(n), facts -> ask(exchange, "direct:channel-routing", facts, null));
        if (route.failure != null) {
            throw route.failure;
        }
        if (route.channel != null) {
            n.lineChannel = route.channel;
        }
        channelFacts.applyTo(n);
        Question policy = decided.computeIfAbsent(DecisionFacts.policy(n), facts -> ask(exchange, "direct:channel-policy", null, facts));
        if (policy.failure != null) {
            throw policy.failure;
        }
        if (policy.operation != null) {
            planner.apply(n, policy.operation, policy.reason);
        }
        schedule.planTiming(n);
        return n;
    }

    /** One deciding route asked one question: a fresh exchange with exactly the facts, the question as its body. */
    private Question ask(Exchange chunk, String uri, DecisionFacts.Routing routing, DecisionFacts.Policy policy) {
        Question q = new Question(routing);
        Exchange ask = new DefaultExchange(chunk.getContext());
        ask.getMessage().setBody(q);
        if (routing != null) {
            routing.putOn(ask);
        } else {
            policy.putOn(ask);
        }
        routes.send(uri, ask);
        if (ask.getException() != null) {
            q.failure = ask.getException() instanceof RuntimeException r ? r : new org.apache.camel.RuntimeCamelException(ask.getException());
        }
        return q;
    }

    /**
     * The customers the chunk's rows name: from the cache, else from {@code direct:customer-lookup} once each (which
     * keeps what it found in the cache). A customer the look-up does not know maps to null; a failed look-up to its
     * exception, which refuses that customer's rows as it would have refused each in {@code direct:intake}.
     */
    private Map<String, Object> lookUpCustomers(Exchange chunk, PendingNotification[] parsed) {
        Map<String, Object> rows = new HashMap<>();
        for (PendingNotification n : parsed) {
            if (n == null || n.customerId == null || rows.containsKey(n.customerId)) {
                continue;
            }
            Map<String, Object> row = customers.find(n.customerId);
            if (row != null) {
                rows.put(n.customerId, row);
                continue;
            }
            Exchange ask = new DefaultExchange(chunk.getContext());
            ask.getMessage().setHeader(HubHeaders.CUSTOMER_ID, n.customerId);
            routes.send("direct:customer-lookup", ask);
            Exception e = ask.getException();
            rows.put(n.customerId, e != null ? (e instanceof RuntimeException r ? r : new org.apache.camel.RuntimeCamelException(e))
                    : ask.getMessage().getHeader(HubHeaders.CUSTOMER_ROW));
        }
        return rows;
    }
}
