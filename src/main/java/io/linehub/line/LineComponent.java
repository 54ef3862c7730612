package io.linehub.line;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code line:} component: every call the hub makes to LINE goes through it, e.g.
 * {@code line:pnp-template?channel=default}. Holds the configured channels (with their credentials), the one HTTP
 * client shared by all endpoints ({@link LineClient}) and the threads routes continue on after LINE answered. An
 * endpoint's options are a {@link LineConfiguration}; the headers it reads and writes are {@link LineConstants}.
 * Depends on nothing of the hub but {@code io.linehub.json}, so it can become an artifact of its own.
 */
@Component("line")
public class LineComponent extends DefaultComponent {

    @Metadata(label = "security", secret = true,
              description = "The LINE channels (Official Accounts) endpoints send through, by name: each with its channel access"
                            + " token and channel secret, LINE's base URL and its country and language")
    private LineChannels channels = new LineChannels(List.of());

    @Metadata(label = "advanced", defaultValue = "5s", javaType = "java.time.Duration",
              description = "How long to wait for a connection to LINE")
    private Duration connectTimeout = Duration.ofSeconds(5);

    @Metadata(label = "advanced", defaultValue = "500",
              description = "Most keep-alive connections to LINE at once (each carries one request at a time)")
    private int maxConnections = 500;

    @Metadata(label = "advanced", defaultValue = "8",
              description = "Threads that continue routes after LINE answered (the delivery records outcomes on them)")
    private int replyThreads = 8;

    private LineClient client;
    private ChannelTokens tokens;
    private ScheduledExecutorService scheduler;
    private ExecutorService replyExecutor;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LineConfiguration configuration = new LineConfiguration();
        configuration.operation(LineOperation.fromUriName(remaining));
        // no generated configurers: the options are bound on the configuration, what is left (Camel's own
        // endpoint options) on the endpoint; anything still left is an unknown option and fails the URI
        setProperties(configuration, parameters);
        LineEndpoint endpoint = new LineEndpoint(uri, this, configuration);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduler = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "line-progress");
        // the route goes on (and writes LINE's answer to the database) on these threads, never on the HTTP
        // client's own, which must stay free to write requests the moment the throttle lets them go
        replyExecutor = getCamelContext().getExecutorServiceManager().newFixedThreadPool(this, "line-reply", replyThreads);
        client = new LineClient(connectTimeout, maxConnections);
        tokens = new ChannelTokens(client);
    }

    public LineChannels getChannels() {
        return channels;
    }

    public void setChannels(LineChannels channels) {
        this.channels = channels;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    /** Most keep-alive connections to LINE at once (each carries one request at a time). */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getReplyThreads() {
        return replyThreads;
    }

    /** Threads that continue routes after LINE answered (the delivery records outcomes on them). */
    public void setReplyThreads(int replyThreads) {
        this.replyThreads = replyThreads;
    }

    LineClient client() {
        return client;
    }

    /** The channel access tokens of channels configured with a channel ID (issued and renewed by the hub). */
    ChannelTokens tokens() {
        return tokens;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Executor replyExecutor() {
        return replyExecutor;
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdown(scheduler);
            scheduler = null;
        }
        if (replyExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(replyExecutor);
            replyExecutor = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        super.doStop();
    }
}
