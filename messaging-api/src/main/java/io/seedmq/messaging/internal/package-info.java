/** Implementation of the API on the transport SPI. Not API: anything here may change without notice. */
package io.seedmq.messaging.internal;
