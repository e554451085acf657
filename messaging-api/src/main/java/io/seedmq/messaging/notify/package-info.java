/**
 * Notifications, wire-compatible with oslo.messaging: a {@link io.seedmq.messaging.notify.Notifier}
 * emits events ({@code info}, {@code error}, ...) on topics, a
 * {@link io.seedmq.messaging.notify.NotificationListener} hands them to endpoints, screened by a
 * {@link io.seedmq.messaging.notify.NotificationFilter}. Built on the public messaging API only, so
 * it runs unchanged on every transport.
 *
 * <pre>{@code
 * Notifier notifier = Notifier.create(connection, "compute.host1", NotifierOptions.defaults());
 * notifier.info(Context.empty(), "instance.create.end", Map.of("id", "i-1"));
 *
 * NotificationListener listener = NotificationListener.create(connection,
 *         List.of(NotificationTarget.topic("notifications")),
 *         List.of(NotificationEndpoint.of(NotificationFilter.builder().publisherId("^compute\\.").build(),
 *                 n -> { System.out.println(n); return NotificationResult.HANDLED; })),
 *         ListenerOptions.builder().pool("billing").build());
 * listener.start();
 * }</pre>
 */
package io.seedmq.messaging.notify;
