package io.seedmq.messaging.inmemory;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Broker-chosen names, spelled as RabbitMQ spells them. */
final class Names {
    private Names() {
    }

    /** @return {@code amq.gen-} and 22 random base64url characters */
    static String serverNamedQueue() {
        return "amq.gen-" + random();
    }

    /** @return {@code amq.ctag-} and 22 random base64url characters */
    static String consumerTag() {
        return "amq.ctag-" + random();
    }

    private static String random() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
