/** The RPC client and server on the public API. Not API: anything here may change without notice. */
package io.seedmq.messaging.rpc.internal;
