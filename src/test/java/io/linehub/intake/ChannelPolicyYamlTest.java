package io.linehub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.EditedRoutes;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The channel policy is the router in routes/intake.camel.yaml and nothing else: a hub started on a copy of the
 * routes whose policy was edited decides as the edited YAML says, the same requests on the shipped routes as
 * today. Edits: auto prefers a LINE notification message over a push (the two auto `when`s swapped), and
 * broadcasts are refused.
 */
class ChannelPolicyYamlTest {

    static final String DATA = "\"data\":{\"orderNumber\":\"P-1\",\"shippedDate\":\"2026-11-27\"}";
    /** A friend of the channel with a LINE user ID and a number from Japan: push and LON both reach them. */
    static final String FRIEND_WITH_JP_NUMBER = "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-2002\"}," + DATA + "}";
    static final String BROADCAST = "{\"type\":\"shipping_complete\",\"via\":\"broadcast\"," + DATA + "}";

    @TempDir
    static Path shippedData;
    @TempDir
    static Path editedData;
    @TempDir
    static Path editedRoutes;
    static TestHub shipped;
    static TestHub edited;

    @BeforeAll
    static void start() throws Exception {
        EditedRoutes.copyShipped(editedRoutes);
        Path intake = editedRoutes.resolve("intake.camel.yaml");
        String yaml = Files.readString(intake);
        // auto: LON before push
        String friend = EditedRoutes.when(yaml, "\"${header.HubFriend} == true\"");
        String lon = EditedRoutes.when(yaml, "\"${header.HubLonReachable} == true\"");
        String reordered = yaml.replace(friend + lon, lon + friend);
        assertThat(reordered).isNotEqualTo(yaml);
        // broadcasts refused, with a reason of the policy's own
        String broadcast = EditedRoutes.when(reordered, "\"${header.HubVia} == 'broadcast'\"");
        String refused = reordered.replace(broadcast, broadcast.replace("broadcast(${exchange}, 'requested: broadcast to every friend')",
                "refuse('INVALID', 'via', 'broadcasts are switched off on this hub')"));
        assertThat(refused).isNotEqualTo(reordered);
        Files.writeString(intake, refused);

        shipped = TestHub.start(shippedData, Map.of("hub.sandbox", "on"));
        edited = TestHub.start(editedData, Map.of("hub.sandbox", "on",
                "camel.main.routes-include-pattern", EditedRoutes.includePattern(editedRoutes)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (edited != null) {
            edited.close();
        }
        if (shipped != null) {
            shipped.close();
        }
    }

    private static JsonNode accepted(TestHub hub, String body) throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return hub.notification(Json.read(r.body()).path("id").asText());
    }

    @Test
    void autoFollowsTheOrderOfTheWhensInTheYaml() throws Exception {
        JsonNode today = accepted(shipped, FRIEND_WITH_JP_NUMBER);
        assertThat(today.path("lineOperation").asText()).isEqualTo("push");
        assertThat(today.path("channelDecision").asText()).isEqualTo("auto: a friend of the channel (known LINE user ID) gets a push");

        JsonNode lonFirst = accepted(edited, FRIEND_WITH_JP_NUMBER);
        assertThat(lonFirst.path("lineOperation").asText()).isEqualTo("pnp-template");
        assertThat(lonFirst.path("channelDecision").asText())
                .isEqualTo("auto: not a known friend; the number is from JP, TH or TW, so a LINE notification message");
    }

    @Test
    void aRefusalWrittenInTheYamlIsTheAnswer() throws Exception {
        JsonNode today = accepted(shipped, BROADCAST);
        assertThat(today.path("lineOperation").asText()).isEqualTo("broadcast");

        HttpResponse<String> r = edited.post("/api/notifications", BROADCAST);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.read(r.body())).isEqualTo(Json.read("{\"status\":400,\"error\":\"invalid_request\",\"field\":\"via\","
                + "\"reason\":\"broadcasts are switched off on this hub\",\"message\":\"via: broadcasts are switched off on this hub\"}"));
    }

    @Test
    void theRecipientFormRefusalsAreThePolicysWithTheirReasons() throws Exception {
        HttpResponse<String> phonePush = shipped.post("/api/notifications",
                "{\"type\":\"shipping_complete\",\"via\":\"push\",\"to\":{\"phone\":\"0812345678\"}," + DATA + "}");
        assertThat(phonePush.statusCode()).isEqualTo(400);
        assertThat(Json.read(phonePush.body()).path("reason").asText()).isEqualTo("'push' cannot reach to.phone");
        HttpResponse<String> noTo = shipped.post("/api/notifications", "{\"type\":\"shipping_complete\"," + DATA + "}");
        assertThat(noTo.statusCode()).isEqualTo(400);
        assertThat(Json.read(noTo.body()).path("reason").asText()).isEqualTo("is required: give {\"customerId\": …}, {\"phone\": …},"
                + " {\"userId\": …}, {\"userIds\": […]} or {\"audienceGroupId\": …}");
        HttpResponse<String> usNumber = shipped.post("/api/notifications",
                "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"+1 212 555 0123\"}," + DATA + "}");
        assertThat(usNumber.statusCode()).isEqualTo(400);
        assertThat(Json.read(usNumber.body()).path("field").asText()).isEqualTo("to.phone");
        assertThat(Json.read(usNumber.body()).path("reason").asText())
                .isEqualTo("the number is from US; LINE notification messages reach only numbers from Japan, Thailand and Taiwan");
        HttpResponse<String> unreachable = shipped.post("/api/notifications",
                "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-9001\"}," + DATA + "}");
        assertThat(unreachable.statusCode()).isEqualTo(422);
        assertThat(Json.read(unreachable.body()).path("error").asText()).isEqualTo("unprocessable");
        assertThat(Json.read(unreachable.body()).path("reason").asText()).isEqualTo("LINE cannot reach this customer: no LINE user ID known;"
                + " the number is from US; LINE notification messages reach only numbers from Japan, Thailand and Taiwan");
    }
}
