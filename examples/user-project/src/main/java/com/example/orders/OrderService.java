package com.example.orders;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Publish;
import java.util.Map;

/** Places orders: prices them through the pricing service and announces each on an exchange. */
public final class OrderService {

    private final Connection connection;
    private final Pricing pricing;
    private final Publish placed;

    /**
     * @param connection the service's connection
     * @param pricing the pricing service (a proxy in production)
     * @param events the exchange that announces orders
     */
    public OrderService(Connection connection, Pricing pricing, Exchange events) {
        this.connection = connection;
        this.pricing = pricing;
        this.placed = Publish.to(events).routingKey("order.placed");
    }

    /**
     * @param sku the product
     * @param quantity how many
     * @return the price
     */
    public long place(String sku, int quantity) {
        long price = pricing.price(sku, quantity);
        connection.producer().publish(Map.of("sku", sku, "quantity", quantity, "price", price), placed);
        return price;
    }
}
