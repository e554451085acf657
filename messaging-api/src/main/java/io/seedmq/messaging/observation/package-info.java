/**
 * Observability: what seedmq observes through Micrometer's Observation API
 * ({@link io.seedmq.messaging.ConnectionOptions.Builder#observationRegistry}), the contexts those
 * observations carry (for handlers, filters and conventions of the application's own), the meters
 * that are not one operation ({@link io.seedmq.messaging.observation.MessagingMetrics}), and the
 * health view a readiness probe reads ({@link io.seedmq.messaging.observation.ConnectionHealth}).
 */
package io.seedmq.messaging.observation;
