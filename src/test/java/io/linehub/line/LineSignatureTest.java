package io.linehub.line;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LineSignatureTest {

    private static final byte[] BODY = "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "8c570fa6dd201bb328f1c1eac23a96d8";

    @Test
    void reproducesLinesDocumentedSignature() {
        assertThat(LineSignature.sign(SECRET, BODY)).isEqualTo("GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=");
        assertThat(LineSignature.verify(SECRET, BODY, "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=")).isTrue();
    }

    @Test
    void refusesMissingWrongOrOtherSecretsSignature() {
        assertThat(LineSignature.verify(SECRET, BODY, null)).isFalse();
        assertThat(LineSignature.verify(SECRET, BODY, "")).isFalse();
        assertThat(LineSignature.verify(SECRET, BODY, "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs")).isFalse();
        assertThat(LineSignature.verify("another-secret", BODY, "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=")).isFalse();
    }

    @Test
    void aSingleChangedByteBreaksTheSignature() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 2] = ' ';
        assertThat(LineSignature.verify(SECRET, tampered, "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=")).isFalse();
    }
}
