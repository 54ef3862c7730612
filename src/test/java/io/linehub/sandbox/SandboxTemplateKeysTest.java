package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.SandboxClient.TH_HASH;
import static io.linehub.sandbox.SandboxClient.TOKEN;

import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: like LINE, the sandbox accepts only the template, item and button keys LINE offers the account — by
 * default those LINE documents (../shared/line-api/templates.md) — and refuses others with LINE's 400 bodies
 * (../shared/line-api/README.md §4.4), unless configured with the account's keys.
 */
class SandboxTemplateKeysTest {

    LineSandbox sandbox;
    SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = LineSandbox.start(SandboxConfig.builder().channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null))
                .acceptAllNumbers(true).build());
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    static String body(String templateKey, String bodyJson) {
        return "{\"to\":\"" + TH_HASH + "\",\"templateKey\":\"" + templateKey + "\",\"body\":" + bodyJson + "}";
    }

    @Test
    void documentedKeysAreAccepted() {
        assertAnswer(client.push(body("shipment_completed_ja", "{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"2024年8月10日(土)\"},"
                + "\"items\":[{\"itemKey\":\"time_range_001_ja\",\"content\":\"午前中\"},{\"itemKey\":\"number_001_ja\",\"content\":\"1234567\"},"
                + "{\"itemKey\":\"price_001_ja\",\"content\":\"12,000円\"},{\"itemKey\":\"name_010_ja\",\"content\":\"スープセット（冷凍）\"}],"
                + "\"buttons\":[{\"buttonKey\":\"check_delivery_status_ja\",\"url\":\"https://example.com/t\"},{\"buttonKey\":\"contact_ja\",\"url\":\"tel:0312345678\"}]}")),
                202, "{}");
    }

    @Test
    void anUndocumentedTemplateKeyIsRefusedAsLineDoes() {
        assertAnswer(client.push(body("payment_reminder_ja", "{}")), 400, "{\"message\":\"Invalid templateKey: payment_reminder_ja\",\"details\":"
                + "[{\"message\":\"The specified template doesn't exist, or you don't have the permission\",\"property\":\"templateKey\"}]}");
        assertAnswer(client.push(body("reserve_004", "{}")), 400, "{\"message\":\"Invalid templateKey: reserve_004\",\"details\":"
                + "[{\"message\":\"The specified template doesn't exist, or you don't have the permission\",\"property\":\"templateKey\"}]}");
    }

    @Test
    void undocumentedItemKeysAreRefusedAsLineDoes() {
        assertAnswer(client.push(body("shipment_completed_ja", "{\"emphasizedItem\":{\"itemKey\":\"date_001_ja\",\"content\":\"12月1日\"},"
                + "\"items\":[{\"itemKey\":\"number_001_ja\",\"content\":\"1\"},{\"itemKey\":\"datetime_000\",\"content\":\"x\"}],"
                + "\"buttons\":[{\"buttonKey\":\"pay_ja\",\"url\":\"https://example.com/p\"}]}")), 400,
                "{\"message\":\"The request body has 3 invalid key(s).\",\"details\":["
                        + "{\"message\":\"The specified item key does not exist: date_001_ja\",\"property\":\"body.emphasizedItem.itemKey\"},"
                        + "{\"message\":\"The specified item key does not exist: datetime_000\",\"property\":\"body.items[1].itemKey\"},"
                        + "{\"message\":\"The specified button key does not exist: pay_ja\",\"property\":\"body.buttons[0].buttonKey\"}]}");
    }

    @Test
    void keysTheAccountWasGivenCanBeConfigured() {
        try (LineSandbox configured = LineSandbox.start(SandboxConfig.builder().channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null))
                .acceptAllNumbers(true).templateKeys(TemplateKeys.documentedPlus(Set.of("payment_reminder_ja", "date_001_ja"))).build())) {
            assertAnswer(new SandboxClient(configured).push(body("payment_reminder_ja", "{\"emphasizedItem\":{\"itemKey\":\"date_001_ja\",\"content\":\"12月1日\"}}")),
                    202, "{}");
            assertAnswer(new SandboxClient(configured).push(body("payment_reminder_th", "{}")), 400,
                    "{\"message\":\"Invalid templateKey: payment_reminder_th\",\"details\":"
                            + "[{\"message\":\"The specified template doesn't exist, or you don't have the permission\",\"property\":\"templateKey\"}]}");
        }
    }
}
