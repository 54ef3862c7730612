package io.linehub.phone;

import io.linehub.demo.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNumbersTest {

    @ParameterizedTest(name = "{0} hashes to LINE''s value")
    @CsvSource({
            // ours, from the issue
            "+66812345678, 7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2",
            // LINE's own example (shared/line-api README §4.3)
            "+818000001234, d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c",
            "+886912345678, 1315ec4a63ba3d2b8f5db63688770e89a402ee623ef33e4c8c2f36e48f271be0"})
    void hashReproducesDocumentedVectors(String e164, String expected) {
        assertThat(PhoneNumbers.hash(e164)).isEqualTo(expected);
    }

    @Test
    void everyMessyDemoNumberNormalisesToItsE164() {
        for (DemoData.DemoCustomer c : DemoData.CUSTOMERS) {
            assertThat(PhoneNumbers.toE164(c.phone(), c.country())).as(c.id()).isEqualTo(c.expectedE164());
        }
    }

    @ParameterizedTest(name = "{0} read in {1} is {2}")
    @CsvSource({
            "081-234-5678, TH, +66812345678",
            "'+66 81 234 5678', TH, +66812345678",
            "'+66 81 234 5678', JP, +66812345678",
            "(081) 234 5678, TH, +66812345678",
            "090-1234-5678, JP, +819012345678",
            "0912-345-678, TW, +886912345678",
            "'+81 90 1234 5678', TH, +819012345678",
            "０９０-１２３４-５６７８, JP, +819012345678"})
    void localFormsNormalise(String raw, String region, String e164) {
        assertThat(PhoneNumbers.toE164(raw, region)).isEqualTo(e164);
    }

    @Test
    void theSameLocalDigitsMeanDifferentNumbersInDifferentRegions() {
        assertThat(PhoneNumbers.toE164("0812345678", "TH")).isEqualTo("+66812345678");
        assertThat(PhoneNumbers.toE164("0912345678", "TW")).isEqualTo("+886912345678");
    }

    @Test
    void invalidNumbersAreRefusedWithoutRepeatingTheNumber() {
        assertThatThrownBy(() -> PhoneNumbers.toE164("12", "TH"))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageNotContaining("12");
        assertThatThrownBy(() -> PhoneNumbers.toE164("081-234-567", "TH"))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageContaining("not a valid number")
                .hasMessageNotContaining("081");
        assertThatThrownBy(() -> PhoneNumbers.toE164("call me maybe", "TH")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> PhoneNumbers.toE164(" ", "TH")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> PhoneNumbers.toE164("0".repeat(40), "TH")).isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void onlyJapanThailandAndTaiwanAreReachableByLon() {
        assertThat(PhoneNumbers.isLonReachable("+66812345678")).isTrue();
        assertThat(PhoneNumbers.isLonReachable("+819012345678")).isTrue();
        assertThat(PhoneNumbers.isLonReachable("+886912345678")).isTrue();
        assertThat(PhoneNumbers.isLonReachable("+12125550123")).isFalse();
        assertThat(PhoneNumbers.isLonReachable("+6591234567")).isFalse();
    }

    @Test
    void maskKeepsCountryFirstDigitAndLastFour() {
        assertThat(PhoneNumbers.mask("+66812345678")).isEqualTo("+66 8xxxx5678");
        assertThat(PhoneNumbers.mask("+819012345678")).isEqualTo("+81 9xxxxx5678");
        assertThat(PhoneNumbers.mask("+886912345678")).doesNotContain("12345");
    }

    @Test
    void hashRefusesAnythingButE164() {
        assertThatThrownBy(() -> PhoneNumbers.hash("66812345678")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhoneNumbers.hash("+66 81-234-5678")).isInstanceOf(IllegalArgumentException.class);
    }
}
