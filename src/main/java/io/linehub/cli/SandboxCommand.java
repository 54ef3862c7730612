package io.linehub.cli;

import io.linehub.sandbox.LineSandbox;
import io.linehub.sandbox.SandboxChannel;
import io.linehub.sandbox.SandboxConfig;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar line-notification-hub.jar sandbox [--port 8090] [--host 127.0.0.1]
 * [--channel name:token:secret[:webhookUrl]]… [--channel-id name:channelId:secret[:webhookUrl]]… [--token-lifetime-seconds 900] [--accept-all] [--delivery-delay-ms 1000] [--undelivered-share 0.0]
 * [--webhook-batch-max 100] [--webhook-batch-ms 50] [--max-recorded 100000] [--latency-ms 50[:10]] [--no-validation]}:
 * (--webhook-batch-max / --webhook-batch-ms: delivery events per webhook request at most, and how long a due one waits
 * for others to share its request; 1 and 0 send each alone) (--no-validation skips the OpenAPI check of each
 * request, for load benchmarks where that check would be the bottleneck on a small machine) (--channel-id: a channel whose
 * tokens the hub issues with POST /oauth2/v3/token; they live --token-lifetime-seconds)
 * the LINE sandbox on its own, for other programs (and benchmarks) to target. Runs until stopped.
 */
public final class SandboxCommand {

    static final String USAGE = "usage: sandbox [--port 8090] [--host 127.0.0.1] [--channel name:token:secret[:webhookUrl]]..."
            + " [--channel-id name:channelId:secret[:webhookUrl]]... [--token-lifetime-seconds N] [--accept-all] [--delivery-delay-ms N] [--undelivered-share 0..1] [--webhook-batch-max N] [--webhook-batch-ms N] [--webhook-redelivery] [--max-recorded N] [--latency-ms FIXED[:JITTER]] [--rate-per-second N] [--no-validation]";

    private SandboxCommand() {
    }

    /** Parses the arguments into a sandbox configuration; throws IllegalArgumentException with the usage on bad input. */
    static SandboxConfig parse(String[] args) {
        // a seed of its own: two sandbox processes (one per channel) must not hand out the same webhook event ids, which
        // a hub rightly takes for LINE's duplicates (ClusterIT lost delivery events to that with the builder's fixed seed)
        SandboxConfig.Builder b = SandboxConfig.builder().port(8090).randomSeed(new java.security.SecureRandom().nextLong());
        int batchMax = SandboxConfig.DEFAULT_WEBHOOK_BATCH_MAX;
        Duration batchWindow = SandboxConfig.DEFAULT_WEBHOOK_BATCH_WINDOW;
        List<SandboxChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> b.port(Integer.parseInt(args[++i]));
                    case "--host" -> b.host(args[++i]);
                    case "--accept-all" -> b.acceptAllNumbers(true);
                    case "--no-validation" -> b.validateRequests(false);
                    case "--webhook-redelivery" -> b.webhookRedelivery(true);
                    case "--delivery-delay-ms" -> b.deliveryDelay(Duration.ofMillis(Long.parseLong(args[++i])));
                    case "--webhook-batch-max" -> batchMax = Integer.parseInt(args[++i]);
                    case "--webhook-batch-ms" -> batchWindow = Duration.ofMillis(Long.parseLong(args[++i]));
                    case "--undelivered-share" -> b.undeliveredShare(Double.parseDouble(args[++i]));
                    case "--max-recorded" -> b.maxRecordedRequests(Integer.parseInt(args[++i]));
                    case "--latency-ms" -> {
                        String[] l = args[++i].split(":", 2);
                        b.faults(io.linehub.sandbox.Faults.builder().latency(Duration.ofMillis(Long.parseLong(l[0])),
                                Duration.ofMillis(l.length > 1 ? Long.parseLong(l[1]) : 0)).build());
                    }
                    case "--rate-per-second" -> {
                        // every endpoint LINE limits per second (2,000) answers 429 beyond N a second instead
                        int n = Integer.parseInt(args[++i]);
                        for (io.linehub.sandbox.ApiPath path : io.linehub.sandbox.ApiPath.values()) {
                            if (path.defaultRateLimit().equals(io.linehub.sandbox.EndpointRateLimit.perSecond(2000))) {
                                b.rateLimit(path, io.linehub.sandbox.EndpointRateLimit.perSecond(n));
                            }
                        }
                    }
                    case "--channel" -> {
                        String[] p = args[++i].split(":", 4);
                        if (p.length < 3) {
                            throw new IllegalArgumentException("--channel wants name:token:secret[:webhookUrl]");
                        }
                        channels.add(new SandboxChannel(p[0], p[1], p[2], p.length == 4 ? URI.create(p[3]) : null));
                    }
                    case "--channel-id" -> {
                        String[] p = args[++i].split(":", 4);
                        if (p.length < 3) {
                            throw new IllegalArgumentException("--channel-id wants name:channelId:secret[:webhookUrl]");
                        }
                        channels.add(new SandboxChannel(p[0], null, p[2], p.length == 4 ? URI.create(p[3]) : null, p[1]));
                    }
                    case "--token-lifetime-seconds" -> b.tokenLifetime(Duration.ofSeconds(Long.parseLong(args[++i])));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException(USAGE);
        }
        if (channels.isEmpty()) {
            channels.add(new SandboxChannel("default", "sandbox-token", "sandbox-secret", null));
        }
        return b.channels(channels).webhookBatching(batchMax, batchWindow).build();
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        SandboxConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        LineSandbox sandbox = LineSandbox.start(config);
        out.println("LINE sandbox on " + sandbox.baseUrl() + " with channels "
                + config.channels().stream().map(SandboxChannel::name).toList() + "; request log at " + sandbox.baseUrl() + "/sandbox/requests");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        stopped.await();
        return 0;
    }
}
