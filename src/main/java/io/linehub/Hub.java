package io.linehub;

import io.linehub.cli.PreviewCommand;
import io.linehub.cli.ReplayCommand;
import io.linehub.cli.SandboxCommand;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.util.Map;

/**
 * LINE Notification Hub. {@code java -jar line-notification-hub.jar} runs it with config/application.properties
 * and the YAML routes in routes/ (both read from the working directory, so they can be edited without a rebuild).
 */
public final class Hub implements AutoCloseable {

    /** Where the configuration is read from; HUB_CONFIG_DIR or the system property hub.config.dir overrides it. */
    static String configDir() {
        String dir = System.getProperty("hub.config.dir", System.getenv("HUB_CONFIG_DIR"));
        return dir == null || dir.isBlank() ? "config" : dir;
    }

    private final Main main;

    private Hub(Main main) {
        this.main = main;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("preview")) {
            System.exit(PreviewCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(ReplayCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("sandbox")) {
            System.exit(SandboxCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        newMain(Map.of()).run(args);
    }

    /** Starts a hub in this JVM and returns once it serves requests (tests, embedding). */
    public static Hub start(Map<String, String> overrides) throws Exception {
        Main main = newMain(overrides);
        main.start();
        return new Hub(main);
    }

    private static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(HubConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("file:" + configDir() + "/application.properties");
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
