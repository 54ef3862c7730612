package io.linehub.demo;

import io.linehub.phone.PhoneNumbers;
import io.linehub.sandbox.PhoneDirectory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Demo customers in Thailand, Japan and Taiwan, seeded only when the hub runs against its sandbox. Their
 * numbers are stored the messy ways real company databases hold them; all but one are LINE users in the
 * sandbox's directory (the exception shows LINE's 422); two are friends of the channel with a LINE user ID
 * (so the channel policy pushes to them), and one has a US number and no user ID (LINE cannot reach them).
 */
public final class DemoData {

    /** A demo customer and whether the sandbox knows the number as a LINE user. */
    public record DemoCustomer(String id, String name, String phone, String country, String language, String timeZone,
                               String expectedE164, boolean lineUser, String lineUserId) {

        DemoCustomer(String id, String name, String phone, String country, String language, String timeZone, String expectedE164, boolean lineUser) {
            this(id, name, phone, country, language, timeZone, expectedE164, lineUser, null);
        }
    }

    public static final List<DemoCustomer> CUSTOMERS = List.of(
            new DemoCustomer("C-1001", "สมชาย ใจดี", "081-234-5678", "TH", "th", "Asia/Bangkok", "+66812345678", true),
            new DemoCustomer("C-1002", "มาลี ศรีสุข", "+66 89 765 4321", "TH", "th", "Asia/Bangkok", "+66897654321", true),
            new DemoCustomer("C-1003", "Anan Wongsa", "(081) 555-0199", "TH", "en", "Asia/Bangkok", "+66815550199", true),
            new DemoCustomer("C-1004", "นิรันดร์ มั่นคง", "086 123 4567", "TH", "th", "Asia/Bangkok", "+66861234567", false),
            new DemoCustomer("C-2001", "田中 陽翔", "090-1234-5678", "JP", "ja", "Asia/Tokyo", "+819012345678", true),
            new DemoCustomer("C-2002", "佐藤 結衣", "080 2345 6789", "JP", "ja", "Asia/Tokyo", "+818023456789", true,
                    "U2002f0e1d2c3b4a5968778695a4b3c2d"),
            new DemoCustomer("C-3001", "陳偉倫", "0912-345-678", "TW", "zh-TW", "Asia/Taipei", "+886912345678", true),
            new DemoCustomer("C-3002", "林美華", "+886 987-654-321", "TW", "zh-TW", "Asia/Taipei", "+886987654321", true,
                    "U3002a1b2c3d4e5f60718293a4b5c6d7e"),
            new DemoCustomer("C-9001", "John Smith", "+1 212 555 0123", "US", "en", "America/New_York", "+12125550123", false));

    private DemoData() {
    }

    /** Inserts the demo customers that are not there yet, and registers the LINE users in the sandbox directory. */
    public static void seed(DataSource db, io.linehub.sandbox.LineSandbox sandbox, java.util.function.Function<String, String> channelOfCountry) throws SQLException {
        PhoneDirectory directory = sandbox.directory();
        try (Connection c = db.getConnection()) {
            for (DemoCustomer d : CUSTOMERS) {
                boolean exists;
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM customers WHERE customer_id = ?")) {
                    ps.setString(1, d.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        exists = rs.next();
                    }
                }
                if (!exists) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (customer_id, display_name, phone, country_code,"
                            + " language, time_zone, line_user_id, is_friend) VALUES (?,?,?,?,?,?,?,?)")) {
                        ps.setString(1, d.id());
                        ps.setString(2, d.name());
                        ps.setString(3, d.phone());
                        ps.setString(4, d.country());
                        ps.setString(5, d.language());
                        ps.setString(6, d.timeZone());
                        ps.setString(7, d.lineUserId());
                        ps.setBoolean(8, d.lineUserId() != null);
                        ps.executeUpdate();
                    }
                }
                if (d.lineUser()) {
                    directory.add(PhoneNumbers.hash(PhoneNumbers.toE164(d.phone(), d.country())));
                }
                if (d.lineUserId() != null) {
                    sandbox.addFriend(channelOfCountry.apply(d.country()), d.lineUserId());
                }
            }
        }
    }
}
