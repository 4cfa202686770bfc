package app.confab.load;

/**
 * One user's connection to a chat server under load, whatever the protocol: Confab's WebSocket
 * ({@link WsConnection}) or XMPP ({@link XmppLink}). The message scenarios send through it and it
 * reports every delivery (by the {@code clientMessageId} written into the content) and every
 * acknowledgement to the current {@link DeliveryTracker}.
 */
interface MessageLink {

    int userIndex();

    /** From now on, deliveries and acks go to this tracker (after a warm-up). */
    void track(DeliveryTracker tracker);

    /** Sends {@code content} to the chat; {@code clientMessageId} is also the first word after "load ". */
    void sendMessage(String chatId, String clientMessageId, String content);

    void close();
}
