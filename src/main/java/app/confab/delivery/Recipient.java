package app.confab.delivery;

import java.util.UUID;

/** Something on this node that receives a user's events: a WebSocket session or a waiting long-poll. */
interface Recipient {

    UUID userId();

    /** Called by the dispatcher, durable events in position order. Must not block. */
    void deliver(Delivery delivery);
}
