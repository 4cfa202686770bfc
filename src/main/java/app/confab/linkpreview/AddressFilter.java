package app.confab.linkpreview;

import java.net.InetAddress;

/**
 * Which resolved addresses the link preview fetcher may connect to. The default
 * ({@link PublicAddressFilter}) allows only public unicast addresses; tests replace the bean to
 * allow one local test server.
 */
@FunctionalInterface
public interface AddressFilter {

    boolean allows(InetAddress address);
}
