/**
 * oslo.messaging's RPC on seedmq's API: {@link io.seedmq.messaging.rpc.RpcClient} calls and
 * casts to a {@link io.seedmq.messaging.rpc.Target}, {@link io.seedmq.messaging.rpc.RpcServer}
 * serves plain Java objects. The same code runs on every transport; on RabbitMQ it speaks oslo's
 * rabbit driver format (envelope 2.0), so Java and Python services call each other.
 */
package io.seedmq.messaging.rpc;
