package io.seedmq.messaging.rpc;

/** When an RPC server acknowledges a request. */
public enum RequestAck {
    /**
     * When a worker takes the request, before the endpoint runs, as oslo does: at most once. A
     * server that dies mid-call loses the request; the caller times out.
     */
    ON_RECEIPT,
    /**
     * After the endpoint returned and the reply was sent: at least once. A server that dies
     * mid-call leaves the request to be redelivered to another server, so endpoints must be
     * idempotent; requests redelivered to the same server are recognised by their unique id and
     * not run twice.
     */
    AFTER_DISPATCH
}
