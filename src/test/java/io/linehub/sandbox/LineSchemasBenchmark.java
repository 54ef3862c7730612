package io.linehub.sandbox;

import java.util.List;
import java.util.Map;

/**
 * Not a test: measures the cost of {@link LineSchemas#validate} per request (run with the test classpath,
 * {@code java -cp target/classes:target/test-classes:<deps> io.linehub.sandbox.LineSchemasBenchmark}).
 */
public final class LineSchemasBenchmark {

    public static void main(String[] args) {
        Map<String, String> h = Map.of("Authorization", "Bearer t", "Content-Type", "application/json");
        String push = "{\"to\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\",\"messages\":[{\"type\":\"text\",\"text\":\"hello\"}]}";
        String flex = "{\"to\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\",\"messages\":[{\"type\":\"flex\",\"altText\":\"Shipped\","
                + "\"contents\":{\"type\":\"bubble\",\"body\":{\"type\":\"box\",\"layout\":\"vertical\",\"contents\":[{\"type\":\"text\",\"text\":\"Shipped\"}]}}}]}";
        String tmpl = "{\"to\":\"c9fb9ae95bff879cbcdfc9edf6716640bc40841f3b7352140daa1431af4c319e\",\"templateKey\":\"shipment_completed_ja\","
                + "\"body\":{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"2024\"},"
                + "\"items\":[{\"itemKey\":\"number_001_ja\",\"content\":\"1234567\"}],"
                + "\"buttons\":[{\"buttonKey\":\"contact_ja\",\"url\":\"https://example.com/ContactUs/\"}]}}";
        long t0 = System.nanoTime();
        LineSchemas.warmUp();
        System.out.printf("warm-up (parse both files): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        run("push text", () -> LineSchemas.validate("POST", "/v2/bot/message/push", h, push));
        run("push flex bubble", () -> LineSchemas.validate("POST", "/v2/bot/message/push", h, flex));
        run("pnp templated", () -> LineSchemas.validate("POST", "/v2/bot/message/pnp/templated/push", h, tmpl));
        run("GET quota", () -> LineSchemas.validate("GET", "/v2/bot/message/quota", h, null));
    }

    private static void run(String name, java.util.function.Supplier<List<LineSchemas.Violation>> v) {
        for (int i = 0; i < 20_000; i++) {
            if (!v.get().isEmpty()) {
                throw new IllegalStateException(name + " invalid: " + v.get());
            }
        }
        int n = 50_000;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            v.get();
        }
        double us = (System.nanoTime() - t) / 1000.0 / n;
        System.out.printf("%-18s %7.1f µs/request (one thread)%n", name, us);
    }
}
