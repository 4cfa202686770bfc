package app.confab.delivery;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.support.IntegrationTest;
import app.confab.stream.EventStore;

/** Integration tests of the real-time layer: the whole server, plus direct access to the database and the stream. */
abstract class DeliveryTest extends IntegrationTest {

    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected TransactionTemplate transactions;
    @Autowired
    protected EventStore events;

    protected String baseUrl() {
        return "http://localhost:" + port;
    }
}
