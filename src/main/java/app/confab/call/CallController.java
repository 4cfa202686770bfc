package app.confab.call;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import app.confab.platform.AuthenticatedUser;

/** The HTTP side of calls: only the ICE servers; the signalling is over the WebSocket (docs/PROTOCOL.md). */
@RestController
@RequestMapping("/api/calls")
class CallController {

    private final IceServers iceServers;

    CallController(IceServers iceServers) {
        this.iceServers = iceServers;
    }

    /** STUN/TURN servers for RTCPeerConnection, with TURN credentials valid for {@code ttlSec}. */
    @GetMapping("/ice-servers")
    IceServers.IceConfig iceServers(AuthenticatedUser caller) {
        return iceServers.forUser(caller.userId());
    }
}
