package io.seedmq.messaging.inmemory;

import java.util.ArrayList;
import java.util.List;

/**
 * A topic binding key: dot-separated words where {@code *} matches exactly one word and {@code #}
 * zero or more. As in RabbitMQ ({@code split_topic_key(<<>>) -> []}), the empty key is zero
 * words: {@code *}, {@code *.#} and {@code #.*} do not match "", while {@code #} and the empty
 * binding key do. Any other key is split at every dot, so "." is two empty words and {@code a.}
 * is {@code a} and an empty word.
 */
final class TopicPattern {
    private static final String[] NO_WORDS = new String[0];

    private final String[] words;

    TopicPattern(String bindingKey) {
        List<String> collapsed = new ArrayList<>();
        for (String w : split(bindingKey)) {
            // "#.#" means the same as "#" and would only slow matching down
            if (!(w.equals("#") && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).equals("#"))) {
                collapsed.add(w);
            }
        }
        words = collapsed.toArray(String[]::new);
    }

    static String[] split(String key) {
        return key.isEmpty() ? NO_WORDS : key.split("\\.", -1);
    }

    boolean matches(String[] key) {
        return matches(0, key, 0);
    }

    private boolean matches(int pi, String[] key, int ki) {
        while (pi < words.length) {
            String w = words[pi];
            if (w.equals("#")) {
                if (pi == words.length - 1) {
                    return true;
                }
                for (int j = ki; j <= key.length; j++) {
                    if (matches(pi + 1, key, j)) {
                        return true;
                    }
                }
                return false;
            }
            if (ki == key.length || !(w.equals("*") || w.equals(key[ki]))) {
                return false;
            }
            pi++;
            ki++;
        }
        return ki == key.length;
    }
}
