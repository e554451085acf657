package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.DeprecatedFeature;
import io.seedmq.messaging.DeprecatedFeatureException;
import io.seedmq.messaging.MessagingException;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RabbitMQ 4.3's refusals, which the local broker (older) never sends, as amqp-client reports them. */
@DisplayName("AMQP error translation")
class AmqpErrorsTest {

    private static final String DENIED = "INTERNAL_ERROR - Feature `transient_nonexcl_queues` is deprecated.\n"
            + "By default, this feature is not permitted anymore.\nThe feature will be removed from a future major "
            + "RabbitMQ version, regardless of the configuration; actual version to be determined.\nTo...";

    private static IOException closedBy(int code, String text) {
        ShutdownSignalException signal = new ShutdownSignalException(true, false,
                new AMQImpl.Connection.Close(code, text, 50, 10), null);
        return new IOException(signal);
    }

    @Test
    @DisplayName("RabbitMQ 4.3's 541 'Feature ... is deprecated' close is a DeprecatedFeatureException naming the feature and the fix")
    void deprecatedFeature() {
        MessagingException e = AmqpErrors.translate("declare queue 'q'", closedBy(541, DENIED));
        DeprecatedFeatureException d = assertInstanceOf(DeprecatedFeatureException.class, e);
        assertEquals("transient_nonexcl_queues", d.featureName());
        assertEquals(Optional.of(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES), d.feature());
        assertTrue(d.getMessage().startsWith("declare queue 'q': INTERNAL_ERROR - Feature `transient_nonexcl_queues`"),
                d.getMessage());
        assertTrue(d.getMessage().endsWith("(declare it durable with a TTL (x-expires), or exclusive)"), d.getMessage());
    }

    @Test
    @DisplayName("a feature seedmq does not know is still a DeprecatedFeatureException, with RabbitMQ's name for it")
    void unknownFeature() {
        DeprecatedFeatureException d = assertInstanceOf(DeprecatedFeatureException.class, AmqpErrors.translate("x",
                closedBy(541, "INTERNAL_ERROR - Feature `amqp_address_v1` is deprecated.")));
        assertEquals("amqp_address_v1", d.featureName());
        assertEquals(Optional.empty(), d.feature());
    }

    @Test
    @DisplayName("any other 541 stays a ConnectionException")
    void otherInternalError() {
        assertInstanceOf(ConnectionException.class, AmqpErrors.translate("x", closedBy(541, "INTERNAL_ERROR - boom")));
    }
}
