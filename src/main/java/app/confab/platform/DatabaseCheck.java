package app.confab.platform;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
class DatabaseCheck implements DependencyCheck {

    private final JdbcClient jdbc;

    DatabaseCheck(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean isHealthy() {
        return jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
    }
}
