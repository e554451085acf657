package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.StreamOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of a stream: an append-only log addressed by offset, kept in segments as RabbitMQ
 * (osiris) keeps them. Retention removes whole segments, the oldest first, and never the segment
 * being written: past {@code x-max-length-bytes} of bodies, or once a segment's newest message is
 * older than {@code x-max-age}. It is applied when a segment fills, as RabbitMQ applies it. Not
 * thread-safe: used under the queue lock.
 */
final class StreamLog {
    /** RabbitMQ's default {@code x-stream-max-segment-size-bytes}. */
    static final long DEFAULT_SEGMENT_BYTES = 500_000_000L;

    private final MemoryAlarm memory;
    private final long maxBytes;
    private final long maxAgeMillis;
    private final long segmentBytes;
    private final List<QueueEntry> entries = new ArrayList<>();
    /** When each entry was written (milliseconds since the epoch), parallel to {@link #entries}. */
    private final List<Long> writtenAt = new ArrayList<>();
    /** Offsets at which each segment starts, oldest first; the last one is being written. */
    private final List<Long> segmentStarts = new ArrayList<>(List.of(0L));
    private long firstOffset;
    private long bytes;
    private long currentSegmentBytes;

    /**
     * @param memory counts the bodies this holds
     * @param maxBytes {@code x-max-length-bytes}, or -1
     * @param maxAgeMillis {@code x-max-age} in milliseconds, or -1
     * @param segmentBytes {@code x-stream-max-segment-size-bytes}
     */
    StreamLog(MemoryAlarm memory, long maxBytes, long maxAgeMillis, long segmentBytes) {
        this.memory = memory;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
        this.segmentBytes = segmentBytes;
    }

    /** Appends an entry whose {@code seq} is {@link #end()}. */
    void append(QueueEntry entry) {
        if (currentSegmentBytes >= segmentBytes) {
            segmentStarts.add(entry.seq);
            currentSegmentBytes = 0;
            applyRetention();
        }
        entries.add(entry);
        writtenAt.add(System.currentTimeMillis());
        bytes += entry.size();
        currentSegmentBytes += entry.size();
        memory.taken(entry.size());
    }

    /** @return the offset the next message will get */
    long end() {
        return firstOffset + entries.size();
    }

    /** @return the first offset still kept */
    long first() {
        return firstOffset;
    }

    int size() {
        return entries.size();
    }

    /** @return the entry at an offset between {@link #first()} and {@link #end()} (exclusive) */
    QueueEntry at(long offset) {
        return entries.get((int) (offset - firstOffset));
    }

    /** @return where a consumer subscribing now with that offset reads first */
    long start(StreamOffset offset) {
        Object v = offset.argumentValue();
        if (v instanceof Long n) {
            return Math.min(Math.max(n, firstOffset), end());
        }
        if (v instanceof Instant t) {
            long millis = t.toEpochMilli();
            for (int i = 0; i < writtenAt.size(); i++) {
                if (writtenAt.get(i) >= millis) {
                    return firstOffset + i;
                }
            }
            return end();
        }
        return switch ((String) v) {
            case "first" -> firstOffset;
            case "last" -> entries.isEmpty() ? end() : end() - 1;
            default -> end();
        };
    }

    void clear() {
        memory.released(bytes);
        firstOffset = end();
        entries.clear();
        writtenAt.clear();
        segmentStarts.clear();
        segmentStarts.add(firstOffset);
        bytes = 0;
        currentSegmentBytes = 0;
    }

    private void applyRetention() {
        long now = System.currentTimeMillis();
        while (segmentStarts.size() > 1) {
            int count = (int) (segmentStarts.get(1) - firstOffset);
            boolean tooBig = maxBytes >= 0 && bytes > maxBytes;
            boolean tooOld = maxAgeMillis >= 0 && now - writtenAt.get(count - 1) > maxAgeMillis;
            if (!tooBig && !tooOld) {
                return;
            }
            long removed = 0;
            for (int i = 0; i < count; i++) {
                removed += entries.get(i).size();
            }
            bytes -= removed;
            memory.released(removed);
            entries.subList(0, count).clear();
            writtenAt.subList(0, count).clear();
            segmentStarts.remove(0);
            firstOffset += count;
        }
    }
}
