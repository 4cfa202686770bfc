package app.confab.platform;

import org.junit.jupiter.api.Test;

import app.confab.backup.PostgresConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DATABASE_URL forms (docs/OPERATIONS.md, "Configuration"), the multi-host form for failover, and what libpq's programs get. */
class DatabaseUrlTest {

    @Test
    void theSeedsFormBecomesAJdbcUrlWithSeparateCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://confab:s%40cret@db.example:6543/chat?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/chat?sslmode=require");
        assertThat(url.username()).isEqualTo("confab");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(DatabaseUrl.parse("postgres://db/x").jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(DatabaseUrl.parse("postgresql://db").jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/postgres");
    }

    @Test
    void severalHostsConnectOnlyToThePrimary() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@h1:5432,h2/db");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=primary&hostRecheckSeconds=2");
        assertThat(url.username()).isEqualTo("u");
        assertThat(DatabaseUrl.parse("postgresql://h1,h2/db?targetServerType=preferPrimary").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=preferPrimary&hostRecheckSeconds=2");
    }

    @Test
    void aJdbcUrlPassesThroughAndOtherSchemesAreRefused() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=x").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?user=x");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/db")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h1,,h2/db")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void libpqProgramsGetTheHostsAndTheWritableTargetButNeverThePasswordOnTheirCommandLine() {
        PostgresConnection connection = PostgresConnection.of("postgresql://u:pw@h1:5432,h2:5433/db");
        assertThat(connection.libpqUri()).isEqualTo("postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write");
        assertThat(connection.environment()).containsEntry("PGUSER", "u").containsEntry("PGPASSWORD", "pw");
        assertThat(PostgresConnection.of("jdbc:postgresql://h:1/db?user=a&password=b&sslmode=require").libpqUri())
                .isEqualTo("postgresql://h:1/db?sslmode=require");
    }
}
