/** The implementation of {@link io.seedmq.messaging.notify}; not API, may change without notice. */
package io.seedmq.messaging.notify.internal;
