package io.seedmq.messaging.notify.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Notification timestamps as oslo writes them, {@code str(timeutils.utcnow())}: UTC,
 * {@code YYYY-MM-DD HH:MM:SS.ffffff}, the fraction left out when the microseconds are zero
 * (Python's {@code str(datetime)}). Thread-safe.
 */
public final class OsloTimestamps {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private OsloTimestamps() {
    }

    /**
     * @param instant a time
     * @return it in UTC as Python's {@code str(datetime)} writes it, truncated to microseconds
     */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        return (t.getNano() == 0 ? SECONDS : MICROS).format(t);
    }

    /**
     * @param text a timestamp with or without a fraction of a second
     * @return the instant, read as UTC, or empty when it is not in that format
     */
    public static Optional<Instant> tryParse(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text, READ).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
