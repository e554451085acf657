package io.seedmq.messaging.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import java.util.List;

/**
 * Hands amqp-client the hosts in the order configured. amqp-client's {@link AddressResolver}
 * shuffles by default (so does {@link com.rabbitmq.client.ListAddressResolver}), which is what
 * {@code failover=shuffle} wants but not in-order failover.
 */
final class InOrderAddressResolver implements AddressResolver {

    private final List<Address> addresses;

    InOrderAddressResolver(List<Address> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    @Override
    public List<Address> getAddresses() {
        return addresses;
    }

    @Override
    public List<Address> maybeShuffle(List<Address> input) {
        return input;
    }
}
