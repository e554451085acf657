package io.seedmq.messaging.inmemory;

/**
 * Ready messages of a queue with {@code x-max-priority}: highest priority first, sequence order
 * within a priority.
 */
final class PriorityMessages implements ReadyMessages {
    private final FifoMessages[] levels;
    private int size;

    PriorityMessages(int maxPriority, MemoryAlarm memory) {
        levels = new FifoMessages[maxPriority + 1];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new FifoMessages(memory);
        }
    }

    private FifoMessages level(QueueEntry entry) {
        return levels[Math.min(entry.priority, levels.length - 1)];
    }

    @Override
    public void addLast(QueueEntry entry) {
        level(entry).addLast(entry);
        size++;
    }

    @Override
    public void requeue(QueueEntry entry) {
        level(entry).requeue(entry);
        size++;
    }

    @Override
    public QueueEntry peek() {
        if (size == 0) {
            return null;
        }
        for (int i = levels.length - 1; i >= 0; i--) {
            QueueEntry e = levels[i].peek();
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    @Override
    public QueueEntry poll() {
        return poll(false);
    }

    @Override
    public QueueEntry pollHeld() {
        return poll(true);
    }

    private QueueEntry poll(boolean held) {
        if (size == 0) {
            return null;
        }
        for (int i = levels.length - 1; i >= 0; i--) {
            QueueEntry e = held ? levels[i].pollHeld() : levels[i].poll();
            if (e != null) {
                size--;
                return e;
            }
        }
        return null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        for (FifoMessages level : levels) {
            level.clear();
        }
        size = 0;
    }
}
