package io.linehub.line;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code line:} component: every call the hub makes to LINE goes through it, e.g.
 * {@code line:pnp-template?channel=default}. Holds the configured channels and the one HTTP client
 * (non-blocking, keep-alive connection pool) shared by all endpoints.
 */
public class LineComponent extends DefaultComponent {

    private LineChannels channels = new LineChannels(List.of());
    private Duration connectTimeout = Duration.ofSeconds(5);
    private HttpClient httpClient;
    private ScheduledExecutorService scheduler;
    private java.util.concurrent.ExecutorService replyExecutor;
    private int replyThreads = 8;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LineEndpoint endpoint = new LineEndpoint(uri, this, LineOperation.fromUriName(remaining));
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
        if (httpClient == null) {
            httpClient = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(connectTimeout)
                    .executor(Executors.newFixedThreadPool(2, r -> {
                        Thread t = new Thread(r, "line-http");
                        t.setDaemon(true);
                        return t;
                    }))
                    .build();
        }
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

    HttpClient httpClient() {
        return httpClient;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    java.util.concurrent.Executor replyExecutor() {
        return replyExecutor;
    }

    public int getReplyThreads() {
        return replyThreads;
    }

    /** Threads that continue routes after LINE answered (the delivery records outcomes on them). */
    public void setReplyThreads(int replyThreads) {
        this.replyThreads = replyThreads;
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
        super.doStop();
    }
}
