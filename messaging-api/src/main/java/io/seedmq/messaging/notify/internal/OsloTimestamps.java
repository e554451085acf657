package io.seedmq.messaging.notify.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
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
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int micros = instant.getNano() / 1000;
        if (t.getYear() < 0 || t.getYear() > 9999) {
            LocalDateTime exact = t.plusNanos(micros * 1000L);
            return (micros == 0 ? SECONDS : MICROS).format(exact);
        }
        // Written digit by digit: a notifier formats one per notification, and the formatter's
        // general machinery cost more than the rest of the notification's fields together.
        byte[] text = new byte[micros == 0 ? 19 : 26];
        digits(text, 0, t.getYear(), 4);
        text[4] = '-';
        digits(text, 5, t.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, t.getDayOfMonth(), 2);
        text[10] = ' ';
        digits(text, 11, t.getHour(), 2);
        text[13] = ':';
        digits(text, 14, t.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, t.getSecond(), 2);
        if (micros != 0) {
            text[19] = '.';
            digits(text, 20, micros, 6);
        }
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** Writes {@code value}, zero-padded to {@code count} digits, at {@code at}. */
    private static void digits(byte[] into, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
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
