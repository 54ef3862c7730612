package io.linehub.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Phone numbers as LINE needs them: normalised to E.164 with libphonenumber, hashed with SHA-256
 * (lowercase hex, over the UTF-8 bytes including the leading '+'), and masked for storage and logs.
 * Nothing here logs; exception messages never contain the number.
 */
public final class PhoneNumbers {

    /** Countries whose numbers LINE notification messages (LON) can reach. */
    public static final Set<String> LON_REGIONS = Set.of("JP", "TH", "TW");

    /** Longest raw input accepted; E.164 has at most 15 digits, local forms add separators. */
    public static final int MAX_RAW_LENGTH = 32;

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9]\\d{1,14}");

    /**
     * A number parsed once: its E.164 form, its region and its masked form (what intake needs of every number;
     * {@link #toE164}, {@link #regionOf} and {@link #mask} would parse it three times).
     */
    public record Parsed(String e164, String region, String masked) {
    }

    private PhoneNumbers() {
    }

    /**
     * Parses a number as stored in a company database ({@code 081-234-5678}, {@code +66 81 234 5678},
     * {@code (02) 123-4567}) and returns it in E.164.
     *
     * @param raw           the stored number
     * @param defaultRegion ISO 3166 region used when the number has no country code (e.g. TH)
     * @throws InvalidPhoneNumberException with a reason that does not repeat the number
     */
    public static String toE164(String raw, String defaultRegion) {
        return parse(raw, defaultRegion).e164();
    }

    /** {@link #toE164}, {@link #regionOf} and {@link #mask} of one number with one parse; the same exceptions as {@link #toE164}. */
    public static Parsed parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidPhoneNumberException("is empty");
        }
        if (raw.length() > MAX_RAW_LENGTH) {
            throw new InvalidPhoneNumberException("is longer than " + MAX_RAW_LENGTH + " characters");
        }
        String region = defaultRegion == null ? null : defaultRegion.toUpperCase(Locale.ROOT);
        PhoneNumber number;
        try {
            number = UTIL.parse(raw, region);
        } catch (NumberParseException e) {
            throw new InvalidPhoneNumberException("is not a phone number (" + e.getErrorType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        }
        if (!UTIL.isValidNumber(number)) {
            throw new InvalidPhoneNumberException("is not a valid number for its country"
                    + (raw.trim().startsWith("+") ? "" : " (read as " + region + ")"));
        }
        String regionCode = UTIL.getRegionCodeForNumber(number);
        return new Parsed(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), regionCode == null ? "ZZ" : regionCode, mask(number));
    }

    /** ISO 3166 region of an E.164 number, e.g. TH for +66812345678; "ZZ" when unknown. */
    public static String regionOf(String e164) {
        try {
            String region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, null));
            return region == null ? "ZZ" : region;
        } catch (NumberParseException e) {
            return "ZZ";
        }
    }

    /** Whether LINE notification messages can reach this E.164 number (issued in Japan, Thailand or Taiwan). */
    public static boolean isLonReachable(String e164) {
        return LON_REGIONS.contains(regionOf(e164));
    }

    /** SHA-256 of the E.164 string (with '+'), 64 lowercase hex characters, as LINE's {@code to} field wants it. */
    public static String hash(String e164) {
        if (e164 == null || !E164.matcher(e164).matches()) {
            throw new IllegalArgumentException("not an E.164 number");
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(e164.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A form safe to store and show: country code, the first national digit and the last four,
     * e.g. {@code +66 8xxxx5678}.
     */
    public static String mask(String e164) {
        try {
            return mask(UTIL.parse(e164, null));
        } catch (NumberParseException e) {
            return "(invalid)";
        }
    }

    private static String mask(PhoneNumber number) {
        String national = UTIL.getNationalSignificantNumber(number);
        if (national.length() <= 5) {
            return "+" + number.getCountryCode() + " " + "x".repeat(national.length());
        }
        return "+" + number.getCountryCode() + " " + national.charAt(0)
                + "x".repeat(national.length() - 5) + national.substring(national.length() - 4);
    }
}
