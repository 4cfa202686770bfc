package app.confab.linkpreview;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses every address that is not public unicast: unspecified, loopback, private (10/8,
 * 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10),
 * multicast, unique-local (fc00::/7), benchmarking, documentation and reserved ranges, and the
 * IPv6 forms that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96,
 * 6to4 2002::/16), which are judged by the IPv4 address inside.
 */
public final class PublicAddressFilter implements AddressFilter {

    @Override
    public boolean allows(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return publicV4(v4.getAddress());
        }
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            byte[] embedded = embeddedV4(b);
            if (embedded != null) {
                return publicV4(embedded);
            }
            if (v6.isAnyLocalAddress() || v6.isLoopbackAddress() || v6.isLinkLocalAddress() || v6.isSiteLocalAddress()
                    || v6.isMulticastAddress()) {
                return false;
            }
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // documentation 2001:db8::/32
            }
            // Only global unicast (2000::/3) is public.
            return (first & 0xe0) == 0x20;
        }
        return false;
    }

    /** The IPv4 address an IPv6 address carries, for the forms that route to it; else null. */
    static byte[] embeddedV4(byte[] b) {
        boolean zeroFirst10 = true;
        for (int i = 0; i < 10; i++) {
            zeroFirst10 &= b[i] == 0;
        }
        if (zeroFirst10 && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || (b[10] == 0 && b[11] == 0))) {
            // ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible, also :: and ::1 — judged as 0.0.0.x)
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return new byte[] {b[12], b[13], b[14], b[15]}; // NAT64 64:ff9b::/96
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]}; // 6to4 2002::/16
        }
        return null;
    }

    static boolean publicV4(byte[] a) {
        int o0 = a[0] & 0xff;
        int o1 = a[1] & 0xff;
        int o2 = a[2] & 0xff;
        if (o0 == 0 || o0 == 10 || o0 == 127 || o0 >= 224) {
            return false; // this network, private, loopback, multicast and reserved, broadcast
        }
        if (o0 == 100 && o1 >= 64 && o1 <= 127) {
            return false; // carrier-grade NAT
        }
        if (o0 == 169 && o1 == 254) {
            return false; // link-local (cloud metadata)
        }
        if (o0 == 172 && o1 >= 16 && o1 <= 31) {
            return false;
        }
        if (o0 == 192 && o1 == 168) {
            return false;
        }
        if (o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2)) {
            return false; // IETF protocol assignments, TEST-NET-1
        }
        if (o0 == 198 && (o1 == 18 || o1 == 19)) {
            return false; // benchmarking
        }
        if ((o0 == 198 && o1 == 51 && o2 == 100) || (o0 == 203 && o1 == 0 && o2 == 113)) {
            return false; // TEST-NET-2, TEST-NET-3
        }
        return true;
    }

    /** For tests and logs: the filter's answer for a literal address. */
    boolean allows(String literal) {
        try {
            return allows(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
