package io.linehub.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The hostile-input cases of a test: one JSON object a line in a test resource (src/test/resources/hostile/…). */
public final class HostileCases {

    private HostileCases() {
    }

    /** The cases in the resource {@code path} (e.g. {@code /hostile/inbox/cases.ndjson}), blank lines skipped. */
    public static List<JsonNode> read(String path) throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        try (InputStream in = HostileCases.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    cases.add(Json.read(line));
                }
            }
        }
        return cases;
    }
}
