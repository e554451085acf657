package com.example.orders;

import io.seedmq.messaging.rpc.RpcEndpoint;

/** The pricing service the orders service calls over RPC. */
@RpcEndpoint(namespace = "pricing", version = "1.0")
public interface Pricing {

    /**
     * @param sku the product
     * @param quantity how many
     * @return the price in cents
     */
    long price(String sku, int quantity);
}
