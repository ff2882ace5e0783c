package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RedactionTest {

    private static final Redaction R = Redaction.DEFAULT;

    @Test
    void everyDocumentedFormLosesItsValue() {
        // given
        List<String> args = List.of("--password", "SEPARATE1", "--password=EQUALS1", "--db-password=Z1",
                "-pMYSQL1", "--api-key=APIKEY1", "https://user:URLPW1@host/path", "--pass=PASS1", "-P", "BIGP1",
                "--key", "KEY1", "--auth=AUTH1", "--pwd=PWD1", "-Ddqlog.passcode=PC1", "--token", "TOK1",
                "PASSWORD=ENV1", "--dbPassword=CAMEL1", "--client-secret=SEC1");

        // when
        List<String> out = R.arguments(args);

        // then
        assertThat(out).containsExactly("--password", "***", "--password=***", "--db-password=***",
                "-p***", "--api-key=***", "https://user:***@host/path", "--pass=***", "-P", "***",
                "--key", "***", "--auth=***", "--pwd=***", "-Ddqlog.passcode=***", "--token", "***",
                "PASSWORD=***", "--dbPassword=***", "--client-secret=***");
        assertThat(String.join(" ", out)).doesNotContainPattern("[A-Z]+1");
    }

    @Test
    void ordinaryArgumentsAndPlacesOfSecretsStay() {
        // given
        List<String> args = List.of("--run", "42", "--passcode-file", "/etc/dq/pass", "--author=me",
                "-Ddqlog.trustStore=/etc/dq/trust.p12", "--monkey", "banana", "https://host/x", "--keystore", "/k");

        // then
        assertThat(R.arguments(args)).isEqualTo(args);
    }

    @Test
    void aCommandLineAsTextKeepsItsSpacingAndLosesTheSameValues() {
        assertThat(R.text("mysql  --password SEP -pX --user=dq https://u:pw@h/"))
                .isEqualTo("mysql  --password *** -p*** --user=dq https://u:***@h/");
        assertThat(R.text(null)).isNull();
    }

    @Test
    void redactingTwiceChangesNothingMore() {
        List<String> once = R.arguments(List.of("--password", "x", "-pY", "--key=z", "-P", "w"));

        assertThat(R.arguments(once)).isEqualTo(once);
        assertThat(R.text(String.join(" ", once))).isEqualTo(String.join(" ", once));
    }

    @Test
    void operatorPatternsReplaceTheirMatchOrTheirFirstGroup() {
        // given
        Redaction r = Redaction.withPatterns("vault:[0-9a-f]+  --sig(?:=|\\s)(\\S+)");

        // then
        assertThat(r.arguments(List.of("vault:abc123", "--sig=deadbeef", "--run"))).containsExactly("***", "--sig=***", "--run");
        assertThat(r.text("a --sig deadbeef b")).isEqualTo("a --sig *** b");
        assertThatThrownBy(() -> Redaction.withPatterns("ok (unclosed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'(unclosed'");
    }
}
