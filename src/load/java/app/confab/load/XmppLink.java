package app.confab.load;

import java.util.Map;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * One load-tool user on an XMPP server (ejabberd in {@code compare}), through Smack: the same
 * ledger as {@link WsConnection}. A direct chat is a one-to-one {@code chat} message to the other
 * member's JID; a group is a MUC room ({@code groupchat}), whose reflection of the sender's own
 * message counts as an echo, as Confab's copy to the sender does. The acknowledgement is the
 * server's Stream Management (XEP-0198) ack of the stanza: received by the server (ejabberd has no
 * "stored" answer to wait for; its archive write is part of routing the message).
 */
final class XmppLink implements MessageLink {

    static final String DOMAIN = "localhost";
    static final String MUC = "conference." + DOMAIN;

    private final int userIndex;
    private final String username;
    private final XMPPTCPConnection connection;
    /** chat id -> where its messages go: the other member's JID (direct) or the room JID (group). */
    private final Map<String, EntityBareJid> targets;
    private final Map<String, Boolean> rooms;
    private volatile DeliveryTracker tracker;

    static {
        // Smack 4.4.8's StandardExtensionElementProvider (which parses elements it has no provider
        // for, such as the <stanza-id xmlns='urn:xmpp:sid:0'/> ejabberd's mod_mam adds to every
        // archived message) asserts that a declared namespace prefix is null or non-empty; its StAX
        // parser reports a default namespace as "". Under -ea (every test JVM) that AssertionError
        // kills each connection's reader thread at the first archived message: no more deliveries
        // and no Stream Management acks. Turned off for that package before its classes initialize.
        ClassLoader smack = XMPPTCPConnection.class.getClassLoader();
        smack.setPackageAssertionStatus("org.jivesoftware.smack.parsing", false);
        XMPPTCPConnection.setUseStreamManagementDefault(true);
    }

    XmppLink(int userIndex, String username, String password, String host, int port, DeliveryTracker tracker,
             Map<String, EntityBareJid> targets, Map<String, Boolean> rooms) throws Exception {
        this.userIndex = userIndex;
        this.username = username;
        this.tracker = tracker;
        this.targets = targets;
        this.rooms = rooms;
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DOMAIN)
                .setHost(host)
                .setPort(port)
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(username, password)
                .setResource("load")
                .setSendPresence(true)
                .build();
        this.connection = new XMPPTCPConnection(config);
        connection.setReplyTimeout(60_000);
        connection.connect();
        try {
            connection.login();
        } catch (XMPPException | SmackException e) {
            // First run on this server: register in-band (XEP-0077), then log in.
            AccountManager accounts = AccountManager.getInstance(connection);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(username), password);
            connection.login();
        }
        connection.addAsyncStanzaListener(stanza -> received((Message) stanza), StanzaTypeFilter.MESSAGE);
    }

    /** Joins (creating when first) the room of a group chat, without history. */
    void join(EntityBareJid room) throws Exception {
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room);
        Resourcepart nick = Resourcepart.from(username);
        MultiUserChat.MucCreateConfigFormHandle created = muc.createOrJoin(
                muc.getEnterConfigurationBuilder(nick).requestNoHistory().build());
        if (created != null) {
            created.makeInstant();
        }
    }

    private void received(Message message) {
        String body = message.getBody();
        if (body == null || !body.startsWith("load ")) {
            return;
        }
        int end = body.indexOf(' ', 5);
        String clientMessageId = end < 0 ? body.substring(5) : body.substring(5, end);
        tracker.received(clientMessageId, userIndex);
    }

    @Override
    public int userIndex() {
        return userIndex;
    }

    @Override
    public void track(DeliveryTracker next) {
        this.tracker = next;
    }

    @Override
    public void sendMessage(String chatId, String clientMessageId, String content) {
        EntityBareJid to = targets.get(chatId);
        if (to == null) {
            to = JidCreate.entityBareFromOrThrowUnchecked(chatId);
        }
        boolean group = rooms.containsKey(chatId);
        MessageBuilder builder = StanzaBuilder.buildMessage(clientMessageId)
                .to(to)
                .ofType(group ? Message.Type.groupchat : Message.Type.chat)
                .setBody(content);
        Message message = builder.build();
        try {
            connection.addStanzaIdAcknowledgedListener(clientMessageId, acked -> tracker.acked(clientMessageId));
            connection.sendStanza(message);
        } catch (Exception e) {
            tracker.error("xmpp-send: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        // No closing handshake: disconnect() waits up to the reply timeout for the server's
        // </stream>, per connection, one after the other; the run is over, nothing is in flight.
        connection.instantShutdown();
    }
}
