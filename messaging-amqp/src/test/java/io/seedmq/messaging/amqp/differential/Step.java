package io.seedmq.messaging.amqp.differential;

/**
 * One operation of a scenario. Operands are indexes into the {@link Universe} (and into the
 * messages held unsettled), never names, so any subsequence of a scenario is a valid scenario:
 * that is what lets a failing scenario shrink. Steps marked {@code other} run on a second
 * connection, which sees the main connection's exclusive queues only from outside.
 */
sealed interface Step {

    /** Declares queue {@code queue} with the scenario's spec for it, or with {@code override}. */
    record DeclareQueue(int queue, QueueSpec override, boolean other) implements Step {
        @Override
        public String toString() {
            return (other ? "[other] " : "") + "declare Q" + queue + (override == null ? "" : " as " + override);
        }
    }

    /** Deletes a queue, with the if-unused and if-empty conditions. */
    record DeleteQueue(int queue, boolean ifUnused, boolean ifEmpty, boolean other) implements Step {
        @Override
        public String toString() {
            return (other ? "[other] " : "") + "delete Q" + queue + (ifUnused ? " if-unused" : "")
                    + (ifEmpty ? " if-empty" : "");
        }
    }

    /** Purges a queue. */
    record PurgeQueue(int queue, boolean other) implements Step {
        @Override
        public String toString() {
            return (other ? "[other] " : "") + "purge Q" + queue;
        }
    }

    /** Passively declares (inspects) a queue. */
    record CheckQueue(int queue, boolean other) implements Step {
        @Override
        public String toString() {
            return (other ? "[other] " : "") + "check Q" + queue;
        }
    }

    /** Declares an exchange of its fixed type, auto-delete or not. */
    record DeclareExchange(int exchange, boolean autoDelete) implements Step {
        @Override
        public String toString() {
            return "declare " + Universe.describeExchange(exchange) + (autoDelete ? " auto-delete" : "");
        }
    }

    /** Deletes an exchange, if unused or not. */
    record DeleteExchange(int exchange, boolean ifUnused) implements Step {
        @Override
        public String toString() {
            return "delete X" + exchange + (ifUnused ? " if-unused" : "");
        }
    }

    /** Binds a queue to an exchange with a binding key (or, for the headers exchange, binding arguments). */
    record Bind(int queue, int exchange, int key) implements Step {
        @Override
        public String toString() {
            return "bind Q" + queue + " to " + Universe.describeExchange(exchange) + " with "
                    + Universe.describeBinding(exchange, key);
        }
    }

    /** Removes a binding (which may not exist). */
    record Unbind(int queue, int exchange, int key) implements Step {
        @Override
        public String toString() {
            return "unbind Q" + queue + " from X" + exchange + " with " + Universe.describeBinding(exchange, key);
        }
    }

    /**
     * Publishes the next message ({@code m1}, {@code m2}, ... in publish order) to an exchange, or
     * to the default exchange when {@code exchange} is {@link Universe#EXCHANGES}.
     */
    record Publish(int exchange, int key, Integer priority, Long expiration, boolean mandatory, int headers)
            implements Step {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("publish to ")
                    .append(exchange == Universe.EXCHANGES ? "default exchange" : "X" + exchange)
                    .append(" '").append(Universe.symbolicKey(Universe.ROUTING_KEYS.get(key))).append("'");
            if (priority != null) {
                s.append(" priority=").append(priority);
            }
            if (expiration != null) {
                s.append(" expiration=").append(expiration);
            }
            if (mandatory) {
                s.append(" mandatory");
            }
            if (headers != 0) {
                s.append(" headers=").append(Universe.PUBLISH_HEADERS.get(headers));
            }
            return s.toString();
        }
    }

    /** basic.get; a manual one is held until a {@link Settle} or a {@link Reconnect}. On the other connection always automatic. */
    record Get(int queue, boolean manual, boolean other) implements Step {
        @Override
        public String toString() {
            return other ? "[other] get Q" + queue + " auto-ack" : "get Q" + queue + (manual ? " manual" : " auto-ack");
        }
    }

    /** How a held message is settled. */
    enum Settlement { ACK, REJECT, REQUEUE }

    /** Settles held message number {@code held} (modulo how many are held; nothing when none is). */
    record Settle(int held, Settlement how) implements Step {
        @Override
        public String toString() {
            return how.name().toLowerCase(java.util.Locale.ROOT) + " held #" + held;
        }
    }

    /**
     * Closes the main connection and opens a new one: its exclusive queues go, its held messages
     * return to their queues, flagged redelivered.
     */
    record Reconnect() implements Step {
        @Override
        public String toString() {
            return "reconnect";
        }
    }
}
