package app.confab.message;

import app.confab.protocol.MessageView;

/**
 * Told about each newly stored message after its transaction committed, on the sender's thread.
 * Implementations (link previews) must hand slow work to a thread of their own. Lets other
 * features react to sends without the message feature depending on them.
 */
public interface MessageSentListener {

    void sent(MessageView message);
}
