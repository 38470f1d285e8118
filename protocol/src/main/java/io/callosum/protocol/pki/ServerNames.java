package io.callosum.protocol.pki;

import org.bouncycastle.util.IPAddress;

import java.util.List;
import java.util.stream.Stream;

/** The names the sites dial the coordinator by; each becomes a subject alternative name of its certificate. */
public record ServerNames(List<String> dnsNames, List<String> ipAddresses) {
    /** What a one-machine federation (the demo, the tests) dials. */
    public static final ServerNames LOOPBACK = new ServerNames(List.of("localhost"), List.of("127.0.0.1"));

    public ServerNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("the coordinator's certificate needs at least one DNS name or IP address");
        }
        for (String ip : ipAddresses) {
            if (!IPAddress.isValid(ip)) {
                throw new IllegalArgumentException("not an IP address: \"" + ip + "\"");
            }
        }
        for (String dns : dnsNames) {
            if (!dns.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                throw new IllegalArgumentException("not a DNS name: \"" + dns + "\"");
            }
        }
    }

    /** The certificate's CN: the first DNS name, else the first address (clients check the SANs, not the CN). */
    public String primary() {
        return dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
    }

    /** As openssl prints subject alternative names: {@code DNS:localhost, IP:127.0.0.1}. */
    public String describe() {
        return String.join(", ", Stream.concat(dnsNames.stream().map(dns -> "DNS:" + dns),
                ipAddresses.stream().map(ip -> "IP:" + ip)).toList());
    }
}
