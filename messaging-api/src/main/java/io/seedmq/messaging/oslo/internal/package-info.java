/**
 * oslo.messaging's wire format, shared by the RPC and notification layers: the 2.0 message
 * envelope, context packing and unique ids. Not API: anything here may change without notice.
 */
package io.seedmq.messaging.oslo.internal;
